package madoguchi.http;

/** A request the service will not carry out, with the status and machine-readable code to answer. */
final class Problem extends RuntimeException {
    final int status;
    final String code;

    Problem(int status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    static Problem badRequest(String message) {
        return new Problem(400, "invalid_request", message);
    }
}
