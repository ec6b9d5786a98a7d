package admin.internal.web;

import jakarta.enterprise.context.RequestScoped;
import platform.Secrets;
import tenancy.StaffPrincipal;

/** The staff member signed in to the admin UI in this request, and the CSRF token of their session. */
@RequestScoped
class CurrentStaff {

    private StaffPrincipal principal;
    private String sessionToken;

    void signedIn(StaffPrincipal principal, String sessionToken) {
        this.principal = principal;
        this.sessionToken = sessionToken;
    }

    StaffPrincipal principal() {
        if (principal == null) {
            throw new IllegalStateException("no staff member is signed in");
        }
        return principal;
    }

    boolean present() {
        return principal != null;
    }

    String sessionToken() {
        return sessionToken;
    }

    /** The session's form token: derived from the secret session token, so only its holder can know it. */
    String csrf() {
        return csrfOf(sessionToken);
    }

    static String csrfOf(String secret) {
        return Secrets.digest("admin-form|" + secret);
    }
}
