package admin.internal.web;

/** The password rules of staff accounts. */
final class Passwords {

    static final int MIN = 12;
    static final int MAX = 200;

    private Passwords() {}

    static void check(Form form, String field, String password) {
        if (password == null || password.isEmpty()) {
            form.reject(field, "Choose a password.");
        } else if (password.length() < MIN) {
            form.reject(field, "Use at least " + MIN + " characters.");
        } else if (password.length() > MAX) {
            form.reject(field, "Use at most " + MAX + " characters.");
        } else if (password.isBlank()) {
            form.reject(field, "A password cannot be only spaces.");
        }
    }
}
