package madoguchi.telephony;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The phone flow read from {@code ivr-flows/} as data: states with a type and transitions (in the
 * spirit of Twilio Studio's flow JSON), and prompts per language in separate files. Everything is
 * checked when it is loaded; a broken flow stops start-up naming the file, the state and the reason.
 */
public final class Flow {
    public static final String FLOW_FILE = "default.flow.json";
    public static final List<String> LANGUAGES = List.of("ja", "en");
    static final Set<String> TYPES = Set.of("say", "gather", "language", "action", "enqueue", "hangup");
    /** Every outcome each action can have; a flow must say where each one goes. */
    static final Map<String, Set<String>> ACTIONS = Map.ofEntries(
            Map.entry("verify", Set.of("ok", "failed", "locked", "not_ready")),
            Map.entry("offer_first", Set.of("offered", "none", "already_booked", "limited")),
            Map.entry("offer_next", Set.of("offered", "none", "already_booked", "limited")),
            Map.entry("offer_next_day", Set.of("offered", "none", "already_booked", "limited")),
            // the day asked for (MMDD, optionally a part of it) and a part of the offered day: "later" = nothing
            // then, the first free time after it is offered; "invalid" = no such day in the booking window
            Map.entry("offer_day", Set.of("offered", "later", "invalid", "none", "already_booked", "limited")),
            Map.entry("offer_part", Set.of("offered", "later", "invalid", "none", "already_booked", "limited")),
            Map.entry("confirm", Set.of("booked", "expired")),
            Map.entry("lookup", Set.of("found", "none")),
            Map.entry("cancel", Set.of("cancelled", "none")),
            Map.entry("reschedule", Set.of("moved", "taken", "none", "limited")),
            Map.entry("send_sms", Set.of("sent", "skipped")),
            Map.entry("waitlist_join", Set.of("joined", "none", "no_sms")));
    /** Prompts the service itself says outside any state. */
    static final List<String> SERVICE_PROMPTS = List.of("invalid", "lost", "queue_position", "queue_offer_callback",
            "callback_recorded", "callback_failed", "sms_booked", "unavailable", "which");

    /** A broken flow: which file, which state, what is wrong. */
    public static final class Broken extends RuntimeException {
        Broken(String file, String state, String reason) {
            super(file + (state == null ? "" : ": state '" + state + "'") + ": " + reason);
        }
    }

    /** One state of the flow. Fields not used by its type are null. */
    public record State(String name, String type, String prompt, boolean bilingual, String next, boolean failure,
                        Map<String, String> choices, String save, Pattern pattern, Integer digits, String finishOnKey,
                        Map<String, String> hints, String otherwise, String silence, String action, Map<String, String> transitions,
                        String language, String readBack, String ask, String sms) {
        /** The recogniser's hints in the caller's language only (a text for every language, or one per language). */
        String hints(String lang) {
            return hints == null ? null : hints.getOrDefault(lang, hints.get("*"));
        }
    }

    final String source;
    final String initial;
    final String defaultLanguage;
    final int maxFailures;
    final String onMaxFailures;
    final String onUnavailable;
    final String operatorQueue;
    final Map<String, State> states;
    final Map<String, Map<String, String>> prompts;
    /** Words understood at every question when no choice of its own matched ("担当者", "agent" → the operators). */
    final Map<String, String> anywhere;

    private Flow(String source, String initial, String defaultLanguage, int maxFailures, String onMaxFailures,
                 String onUnavailable, String operatorQueue, Map<String, State> states, Map<String, Map<String, String>> prompts,
                 Map<String, String> anywhere) {
        this.source = source;
        this.initial = initial;
        this.defaultLanguage = defaultLanguage;
        this.maxFailures = maxFailures;
        this.onMaxFailures = onMaxFailures;
        this.onUnavailable = onUnavailable;
        this.operatorQueue = operatorQueue;
        this.states = states;
        this.prompts = prompts;
        this.anywhere = anywhere;
    }

    State state(String name) {
        return states.get(name);
    }

    String prompt(String language, String id) {
        return prompts.get(language).get(id);
    }

    /** A readable name of where the flow came from (a directory or the built-in copy). */
    public String source() {
        return source;
    }

    /**
     * Loads the flow from {@code dir} when given; otherwise from {@code ./ivr-flows} when it exists
     * (running at the repository root), else the copy shipped inside the jar.
     */
    public static Flow load(Path dir) {
        if (dir == null && Files.isRegularFile(Path.of("ivr-flows", FLOW_FILE))) {
            dir = Path.of("ivr-flows");
        }
        if (dir != null) {
            Path root = dir;
            return parse(root.toString(), name -> {
                Path p = root.resolve(name);
                if (!Files.isRegularFile(p)) {
                    throw new Broken(p.toString(), null, "the file does not exist");
                }
                try {
                    return Files.readString(p, StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new Broken(p.toString(), null, "cannot be read (" + e.getMessage() + ")");
                }
            });
        }
        return builtIn();
    }

    /** The default flow shipped inside the jar. */
    static Flow builtIn() {
        return parse("classpath:/ivr-flows", name -> {
            try (InputStream in = Flow.class.getResourceAsStream("/ivr-flows/" + name)) {
                if (in == null) {
                    throw new Broken("classpath:/ivr-flows/" + name, null, "the file is missing from the jar");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new Broken("classpath:/ivr-flows/" + name, null, "cannot be read (" + e.getMessage() + ")");
            }
        });
    }

    interface FileSource {
        String read(String name);
    }

    static Flow parse(String source, FileSource files) {
        String file = source + "/" + FLOW_FILE;
        JsonObject json = json(file, files.read(FLOW_FILE));
        Map<String, Map<String, String>> prompts = new LinkedHashMap<>();
        for (String lang : LANGUAGES) {
            String pf = source + "/prompts/" + lang + ".json";
            JsonObject p = json(pf, files.read("prompts/" + lang + ".json"));
            Map<String, String> texts = new LinkedHashMap<>();
            for (String key : p.fieldNames()) {
                if (!(p.getValue(key) instanceof String) || p.getString(key).isBlank()) {
                    throw new Broken(pf, null, "prompt '" + key + "' must be a non-empty text");
                }
                texts.put(key, p.getString(key));
            }
            prompts.put(lang, texts);
        }
        JsonObject statesJson = json.getValue("states") instanceof JsonObject ? json.getJsonObject("states") : null;
        if (statesJson == null || statesJson.isEmpty()) {
            throw new Broken(file, null, "'states' must be an object with at least one state");
        }
        Map<String, State> states = new LinkedHashMap<>();
        for (String name : statesJson.fieldNames()) {
            if (!(statesJson.getValue(name) instanceof JsonObject)) {
                throw new Broken(file, name, "a state must be an object");
            }
            states.put(name, state(file, name, statesJson.getJsonObject(name)));
        }
        String initial = required(file, null, json, "initial");
        String defaultLanguage = json.getString("defaultLanguage", "ja");
        if (!LANGUAGES.contains(defaultLanguage)) {
            throw new Broken(file, null, "'defaultLanguage' must be one of " + LANGUAGES);
        }
        int maxFailures = json.getInteger("maxFailures", 3);
        if (maxFailures < 1 || maxFailures > 10) {
            throw new Broken(file, null, "'maxFailures' must be between 1 and 10");
        }
        String onMax = required(file, null, json, "onMaxFailures");
        String onUnavailable = required(file, null, json, "onUnavailable");
        String queue = json.getString("operatorQueue", "madoguchi-operators");
        Map<String, String> anywhere = new LinkedHashMap<>();
        Map<String, String> words = strings(file, null, json, "anywhere");
        if (words != null) {
            words.forEach((k, v) -> anywhere.put(Speech.normalize(k), v));
        }
        Flow flow = new Flow(source, initial, defaultLanguage, maxFailures, onMax, onUnavailable, queue, states, prompts, anywhere);
        flow.check(file);
        return flow;
    }

    private void check(String file) {
        for (Map.Entry<String, String> w : anywhere.entrySet()) {
            if (!states.containsKey(w.getValue())) {
                throw new Broken(file, null, "'anywhere' word '" + w.getKey() + "' goes to '" + w.getValue() + "', which is not a state");
            }
        }
        for (String top : List.of(initial, onMaxFailures, onUnavailable)) {
            if (!states.containsKey(top)) {
                throw new Broken(file, null, "'" + top + "' is named as a start, failure or outage state but there is no such state");
            }
        }
        if (!"enqueue".equals(states.get(onUnavailable).type())) {
            throw new Broken(file, onUnavailable, "the outage state must be of type enqueue (callers go to operators, never silence)");
        }
        for (State s : states.values()) {
            for (Map.Entry<String, String> t : targets(s).entrySet()) {
                if (t.getValue() != null && !states.containsKey(t.getValue())) {
                    throw new Broken(file, s.name(), "'" + t.getKey() + "' goes to '" + t.getValue() + "', which is not a state");
                }
            }
            for (String p : java.util.Arrays.asList(s.prompt(), s.readBack(), s.ask(), s.sms())) {
                if (p == null) {
                    continue;
                }
                for (String lang : LANGUAGES) {
                    if (!prompts.get(lang).containsKey(p)) {
                        throw new Broken(source + "/prompts/" + lang + ".json", s.name(), "prompt '" + p + "' is missing");
                    }
                }
            }
        }
        for (String id : SERVICE_PROMPTS) {
            for (String lang : LANGUAGES) {
                if (!prompts.get(lang).containsKey(id)) {
                    throw new Broken(source + "/prompts/" + lang + ".json", null, "prompt '" + id + "' (said by the service itself) is missing");
                }
            }
        }
    }

    private static Map<String, String> targets(State s) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("next", s.next());
        out.put("otherwise", s.otherwise());
        out.put("silence", s.silence());
        if (s.choices() != null) {
            s.choices().forEach((k, v) -> out.put("choice " + k, v));
        }
        if (s.transitions() != null) {
            s.transitions().forEach((k, v) -> out.put("outcome " + k, v));
        }
        return out;
    }

    private static State state(String file, String name, JsonObject j) {
        String type = required(file, name, j, "type");
        if (!TYPES.contains(type)) {
            throw new Broken(file, name, "unknown type '" + type + "' (known: " + String.join(", ", new java.util.TreeSet<>(TYPES)) + ")");
        }
        String prompt = j.getString("prompt");
        String next = j.getString("next");
        Map<String, String> choices = null;
        Map<String, String> transitions = null;
        Pattern pattern = null;
        String action = null;
        String language = null;
        switch (type) {
            case "say":
                required(file, name, j, "prompt");
                required(file, name, j, "next");
                break;
            case "hangup":
            case "enqueue":
                required(file, name, j, "prompt");
                break;
            case "language":
                language = required(file, name, j, "language");
                if (!LANGUAGES.contains(language)) {
                    throw new Broken(file, name, "'language' must be one of " + LANGUAGES);
                }
                required(file, name, j, "next");
                break;
            case "gather":
                required(file, name, j, "prompt");
                choices = strings(file, name, j, "choices");
                if (choices != null) {
                    Map<String, String> normal = new LinkedHashMap<>();
                    choices.forEach((k, v) -> normal.put(Speech.normalize(k), v));
                    choices = normal;
                }
                if (j.getString("save") != null) {
                    String regex = required(file, name, j, "pattern");
                    try {
                        pattern = Pattern.compile(regex);
                    } catch (PatternSyntaxException e) {
                        throw new Broken(file, name, "'pattern' is not a valid regular expression: " + e.getDescription());
                    }
                    required(file, name, j, "next");
                }
                if ((choices == null) == (j.getString("save") == null)) {
                    throw new Broken(file, name, "a gather needs either 'choices' or 'save' (with 'pattern' and 'next'), not both");
                }
                Object digits = j.getValue("digits");
                if (digits != null && (!(digits instanceof Integer) || (Integer) digits < 1 || (Integer) digits > 30)) {
                    throw new Broken(file, name, "'digits' must be a whole number from 1 to 30");
                }
                break;
            case "action":
                action = required(file, name, j, "action");
                Set<String> outcomes = ACTIONS.get(action);
                if (outcomes == null) {
                    throw new Broken(file, name, "unknown action '" + action + "' (known: " + String.join(", ", new java.util.TreeSet<>(ACTIONS.keySet())) + ")");
                }
                transitions = strings(file, name, j, "transitions");
                if (transitions == null) {
                    throw new Broken(file, name, "an action needs 'transitions' for " + new java.util.TreeSet<>(outcomes));
                }
                for (String o : outcomes) {
                    if (!transitions.containsKey(o)) {
                        throw new Broken(file, name, "no transition for the outcome '" + o + "' of action '" + action + "'");
                    }
                }
                for (String o : transitions.keySet()) {
                    if (!outcomes.contains(o)) {
                        throw new Broken(file, name, "action '" + action + "' has no outcome '" + o + "'");
                    }
                }
                break;
            default:
                throw new IllegalStateException(type);
        }
        return new State(name, type, prompt, j.getBoolean("bilingual", false), next, j.getBoolean("failure", false),
                choices, j.getString("save"), pattern, j.getInteger("digits"), j.getString("finishOnKey"), hints(file, name, j),
                j.getString("otherwise"), j.getString("silence"), action, transitions, language, j.getString("readBack"),
                j.getString("ask"), j.getString("sms"));
    }

    /** "hints": one text for every language, or {"ja": …, "en": …} so that each caller's recogniser gets its own words. */
    private static Map<String, String> hints(String file, String name, JsonObject j) {
        Object v = j.getValue("hints");
        if (v == null) {
            return null;
        }
        if (v instanceof String text) {
            return Map.of("*", text);
        }
        if (v instanceof JsonObject per) {
            Map<String, String> out = new LinkedHashMap<>();
            for (String lang : per.fieldNames()) {
                if (!LANGUAGES.contains(lang) || !(per.getValue(lang) instanceof String)) {
                    throw new Broken(file, name, "'hints' per language must name languages of " + LANGUAGES + " with a text each");
                }
                out.put(lang, per.getString(lang));
            }
            return out;
        }
        throw new Broken(file, name, "'hints' must be a text or an object of texts per language");
    }

    private static Map<String, String> strings(String file, String name, JsonObject j, String key) {
        Object v = j.getValue(key);
        if (v == null) {
            return null;
        }
        if (!(v instanceof JsonObject) || ((JsonObject) v).isEmpty()) {
            throw new Broken(file, name, "'" + key + "' must be a non-empty object");
        }
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : (JsonObject) v) {
            if (!(e.getValue() instanceof String)) {
                throw new Broken(file, name, "'" + key + "." + e.getKey() + "' must name a state");
            }
            out.put(e.getKey().toLowerCase(Locale.ROOT), (String) e.getValue());
        }
        return out;
    }

    private static String required(String file, String name, JsonObject j, String key) {
        Object v;
        try {
            v = j.getValue(key);
        } catch (ClassCastException e) {
            v = null;
        }
        if (!(v instanceof String) || ((String) v).isBlank()) {
            throw new Broken(file, name, "'" + key + "' is missing or not a text");
        }
        return (String) v;
    }

    private static JsonObject json(String file, String text) {
        try {
            return new JsonObject(text);
        } catch (DecodeException | ClassCastException e) {
            throw new Broken(file, null, "is not a JSON object (" + e.getMessage().lines().findFirst().orElse("") + ")");
        }
    }
}
