package madoguchi.app.staff;

/** A signed-in operator or administrator. */
public record Principal(String name, Role role) {

    public enum Role {
        OPERATOR, ADMIN;

        public String wire() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        public static java.util.Optional<Role> fromWire(String s) {
            for (Role r : values()) {
                if (r.wire().equals(s)) {
                    return java.util.Optional.of(r);
                }
            }
            return java.util.Optional.empty();
        }
    }

    /** Administrators may do everything operators may. */
    public boolean may(Role needed) {
        return role == Role.ADMIN || role == needed;
    }
}
