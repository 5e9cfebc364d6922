package madoguchi;

/** Sub-commands of the jar besides running the service. */
final class Commands {
    private Commands() {
    }

    static int run(String[] args) {
        System.err.println("madoguchi: unknown command '" + String.join(" ", args) + "'");
        System.err.println("usage: java -jar madoguchi.jar            run the service (configured by environment variables)");
        return 2;
    }
}
