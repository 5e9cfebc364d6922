package madoguchi;

/** Sub-commands of the jar besides running the service. */
final class Commands {
    private Commands() {
    }

    static int run(String[] args) {
        if ("call".equals(args[0])) {
            return madoguchi.telephony.CallSimulator.run(args, System.getenv(), System.in, System.out, System.err);
        }
        System.err.println("madoguchi: unknown command '" + String.join(" ", args) + "'");
        System.err.println("usage: java -jar madoguchi.jar            run the service (configured by environment variables)");
        System.err.println("       java -jar madoguchi.jar call --to http://localhost:8080/twilio/voice [--from +819012345678]");
        System.err.println("                                      play a phone call against a running service (needs TWILIO_AUTH_TOKEN)");
        return 2;
    }
}
