package madoguchi.support;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ResponseValidator;
import io.vertx.openapi.validation.ValidatableResponse;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The service's contract, {@code openapi.yaml}, held against every answer the tests receive
 * (status, declared headers, JSON body), with Vert.x's own OpenAPI validator: when the code and
 * the contract drift apart, the test that saw it fails and names the operation. Answers to paths
 * the contract does not have (a test probing an unknown route) are not checked.
 */
public final class Contract {
    private static final Vertx VERTX = Vertx.vertx();
    /** The contract as written (the validator gets a copy adapted to what it reads). */
    private static final JsonObject WRITTEN = read();
    private static final OpenAPIContract CONTRACT = load();
    private static final ResponseValidator VALIDATOR = ResponseValidator.create(VERTX, CONTRACT);

    /** Set to a file to list every drift there instead of failing (to see them all in one run). */
    private static final String COLLECT = System.getenv("MADOGUCHI_CONTRACT_DRIFT_FILE");

    private Contract() {
    }

    private static synchronized void collect(String line) {
        try {
            Files.writeString(Path.of(COLLECT), line + "\n", java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static JsonObject read() {
        try {
            String yaml = Files.readString(Path.of("src/main/resources/openapi.yaml"));
            return new JsonObject(new org.yaml.snakeyaml.Yaml().<Map<String, Object>>load(yaml));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static OpenAPIContract load() {
        try {
            JsonObject raw = read();
            // the contract's server is "/" (wherever it is served); Vert.x's parser wants an absolute URL
            raw.put("servers", new io.vertx.core.json.JsonArray().add(new JsonObject().put("url", "http://localhost/")));
            dropUncheckedBodies(raw);
            allowNulls(raw);
            return OpenAPIContract.from(VERTX, raw).await(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new IllegalStateException("openapi.yaml is not a valid contract: " + e.getMessage(), e);
        }
    }

    /**
     * Vert.x's validator knows JSON and plain text only: the declared media types of pages, TwiML,
     * CSV and YAML are taken out of its copy, and such answers have their status and media type
     * checked against the contract as written instead ({@link #declared}).
     */
    private static void dropUncheckedBodies(Object node) {
        dropUncheckedBodies(node, false);
    }

    private static void dropUncheckedBodies(Object node, boolean request) {
        if (node instanceof JsonObject) {
            JsonObject o = (JsonObject) node;
            Object content = o.getValue("content");
            if (content instanceof JsonObject) {
                JsonObject types = (JsonObject) content;
                types.fieldNames().removeIf(type -> !isJson(type));
                if (types.isEmpty() && request) {
                    // requests are not checked here, but a request body must name some type
                    types.put("application/octet-stream", new JsonObject());
                } else if (types.isEmpty()) {
                    o.remove("content");
                }
            }
            for (String name : o.fieldNames()) {
                dropUncheckedBodies(o.getValue(name), request || name.equals("requestBody") || name.equals("requestBodies"));
            }
        } else if (node instanceof io.vertx.core.json.JsonArray) {
            for (Object item : (io.vertx.core.json.JsonArray) node) {
                dropUncheckedBodies(item, request);
            }
        }
    }

    /**
     * OpenAPI 3.0 says a value may be null with {@code nullable: true}, which Vert.x's JSON Schema
     * validator does not read; this copy says the same in JSON Schema: the schema, or null.
     */
    private static Object allowNulls(Object node) {
        if (node instanceof JsonObject) {
            JsonObject o = (JsonObject) node;
            for (String name : new java.util.ArrayList<>(o.fieldNames())) {
                o.put(name, allowNulls(o.getValue(name)));
            }
            if (Boolean.TRUE.equals(o.remove("nullable"))) {
                return new JsonObject().put("anyOf", new io.vertx.core.json.JsonArray()
                        .add(o).add(new JsonObject().put("enum", new io.vertx.core.json.JsonArray().addNull())));
            }
        } else if (node instanceof io.vertx.core.json.JsonArray) {
            io.vertx.core.json.JsonArray a = (io.vertx.core.json.JsonArray) node;
            for (int i = 0; i < a.size(); i++) {
                a.set(i, allowNulls(a.getValue(i)));
            }
        }
        return node;
    }

    private static boolean isJson(String type) {
        return type != null && type.toLowerCase(Locale.ROOT).startsWith("application/json");
    }

    /** Throws an AssertionError when the answer to {@code method uri} breaks the contract. */
    public static void check(String method, URI uri, int status, Map<String, List<String>> headers, String body) {
        Operation operation = CONTRACT.findOperation(uri.getPath(), HttpMethod.valueOf(method.toUpperCase(Locale.ROOT)));
        if (operation == null) {
            return;
        }
        Map<String, String> single = new java.util.TreeMap<>(String.CASE_INSENSITIVE_ORDER);
        headers.forEach((name, values) -> {
            if (name != null && !values.isEmpty()) {
                single.put(name, values.get(0));
            }
        });
        // the contract names media types without parameters (charset)
        String type = single.get("content-type") == null ? null : single.get("content-type").split(";", 2)[0].trim();
        String drift = isJson(type) || body == null || body.isEmpty()
                ? validated(operation, status, single, body, type) : declared(operation, status, type);
        if (drift == null) {
            return;
        }
        drift = "the answer to " + method + " " + uri.getPath() + " (" + operation.getOperationId() + ") breaks openapi.yaml: "
                + status + " " + drift;
        String shown = body == null ? "" : body.substring(0, Math.min(400, body.length()));
        if (COLLECT != null) {
            collect(drift + " | " + shown.replace('\n', ' '));
            return;
        }
        throw new AssertionError(drift + "\n  body: " + shown);
    }

    /** A JSON or empty answer, checked by the validator: status, declared headers, body. */
    private static String validated(Operation operation, int status, Map<String, String> headers, String body, String type) {
        ValidatableResponse response = body == null || body.isEmpty()
                ? ValidatableResponse.create(status, new HashMap<>(headers))
                : ValidatableResponse.create(status, new HashMap<>(headers), Buffer.buffer(body), type);
        try {
            VALIDATOR.validate(response, operation.getOperationId()).await(10, TimeUnit.SECONDS);
            return null;
        } catch (Exception e) {
            return e.getMessage();
        }
    }

    /** A page, TwiML, CSV or YAML answer: its status and media type must be declared. */
    private static String declared(Operation operation, int status, String type) {
        JsonObject written = WRITTEN.getJsonObject("paths").getJsonObject(operation.getOpenAPIPath())
                .getJsonObject(operation.getHttpMethod().name().toLowerCase(Locale.ROOT));
        JsonObject responses = written.getJsonObject("responses");
        Object response = responses.getValue(Integer.toString(status), responses.getValue("default"));
        if (response == null) {
            return "no response is declared for this status";
        }
        JsonObject r = (JsonObject) response;
        if (r.containsKey("$ref")) {
            String name = r.getString("$ref").substring("#/components/responses/".length());
            r = WRITTEN.getJsonObject("components").getJsonObject("responses").getJsonObject(name);
        }
        JsonObject content = r.getJsonObject("content");
        if (content == null || !content.containsKey(type)) {
            return "the body's type " + type + " is not declared for this status";
        }
        return null;
    }
}
