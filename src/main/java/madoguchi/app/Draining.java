package madoguchi.app;

/**
 * Whether this instance is leaving (a rolling deploy sent it SIGTERM). From that moment /ready
 * says so, so that the load balancer sends new requests elsewhere, while requests already on
 * their way are still served; answers then close their connections rather than keep them alive.
 */
public final class Draining {
    private volatile boolean draining;

    public boolean draining() {
        return draining;
    }

    public void start() {
        draining = true;
    }
}
