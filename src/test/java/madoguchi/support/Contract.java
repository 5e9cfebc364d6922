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

    private static OpenAPIContract load() {
        try {
            String yaml = Files.readString(Path.of("src/main/resources/openapi.yaml"));
            JsonObject raw = new JsonObject(new org.yaml.snakeyaml.Yaml().<Map<String, Object>>load(yaml));
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
     * Vert.x's validator knows JSON and plain text only; pages, TwiML, CSV and YAML keep their
     * status and headers checked, and their declared media types are taken out of this copy.
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
        ValidatableResponse response = body == null || body.isEmpty() || !isJson(type)
                ? ValidatableResponse.create(status, new HashMap<>(single))
                : ValidatableResponse.create(status, new HashMap<>(single), Buffer.buffer(body), type);
        try {
            VALIDATOR.validate(response, operation.getOperationId()).await(10, TimeUnit.SECONDS);
        } catch (Exception e) {
            String drift = "the answer to " + method + " " + uri.getPath() + " (" + operation.getOperationId()
                    + ") breaks openapi.yaml: " + status + " " + e.getMessage();
            if (COLLECT != null) {
                collect(drift + " | " + (body == null ? "" : body.substring(0, Math.min(300, body.length())).replace('\n', ' ')));
                return;
            }
            throw new AssertionError("the answer to " + method + " " + uri.getPath() + " (" + operation.getOperationId()
                    + ") breaks openapi.yaml: " + status + " " + e.getMessage()
                    + "\n  body: " + (body == null ? "" : body.substring(0, Math.min(400, body.length()))), e);
        }
    }
}
