package admin.internal.web;

import jakarta.enterprise.context.RequestScoped;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
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
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(("admin-form|" + secret).getBytes(StandardCharsets.UTF_8));
            return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
