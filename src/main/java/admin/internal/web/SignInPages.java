package admin.internal.web;

import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import io.smallrye.common.annotation.RunOnVirtualThread;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import platform.ProblemException;
import platform.RoleGate;
import platform.Secrets;
import platform.bulkhead.Traffic;
import platform.bulkhead.TrafficClass;
import tenancy.ShopRequest;
import tenancy.StaffAccounts;
import tenancy.StaffAccounts.Invitation;
import tenancy.StaffAccounts.SignIn;

/** Signing in to the admin, and accepting an invitation to a shop's staff. */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@Traffic(TrafficClass.ADMIN)
@AdminUi
@SignedOut
public class SignInPages {


    @Inject Pages pages;
    @Inject StaffAccounts accounts;
    @Inject HttpHeaders headers;
    @Inject CurrentStaff current;

    @GET
    @Path("/sign-in")
    public Response signInPage(@QueryParam("next") String next) {
        if (current.present()) {
            return Pages.redirect(Pages.safeNext(next)); // signed in already
        }
        FormCookie cookie = formCookie();
        return cookie.attach(pages.html(200, Templates.signIn(pages.page("Sign in", ""), new Form(), Pages.safeNext(next),
                cookie.token())));
    }

    @POST
    @Path("/sign-in")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RunOnVirtualThread // a sign-in waits (a password check, or as long as one): never on a worker thread
    public Response signIn(@RestForm String email, @RestForm String password, @RestForm String next) {
        Form form = new Form().set("email", email);
        if (email == null || email.isBlank()) {
            form.reject("email", "Enter the email address of your staff account.");
        } else if (email.length() > 254) {
            form.reject("email", "An email address has at most 254 characters.");
        }
        if (password == null || password.isEmpty()) {
            form.reject("password", "Enter your password.");
        } else if (password.length() > 200) {
            form.reject("password", "A password has at most 200 characters.");
        }
        int status = 400;
        java.time.Duration retryAfter = null;
        if (!form.hasErrors()) {
            SignIn result = accounts.signIn(email, password);
            switch (result.outcome()) {
                case OK -> {
                    return Response.seeOther(URI.create(Pages.safeNext(next)))
                            .cookie(pages.sessionCookie(result.sessionToken(), java.time.Duration.ofHours(12)),
                                    pages.expired(Pages.FORM_COOKIE))
                            .build();
                }
                case REJECTED -> {
                    status = 401;
                    form.fail("Wrong email or password.");
                }
                case THROTTLED -> {
                    status = 429;
                    retryAfter = result.retryAfter();
                    form.fail("Too many sign-in attempts: sign-in is locked for " + wait(retryAfter) + ". Try again later.");
                }
            }
        }
        FormCookie cookie = formCookie();
        Response page = cookie.attach(pages.html(status, Templates.signIn(pages.page("Sign in", ""), form,
                Pages.safeNext(next), cookie.token())));
        return retryAfter == null ? page
                : Response.fromResponse(page).header("Retry-After", ProblemException.retryAfterSeconds(retryAfter)).build();
    }

    /** A wait in words: "a minute" or "N minutes" (rounded up). */
    static String wait(java.time.Duration delay) {
        long minutes = Math.max(1, (delay.toSeconds() + 59) / 60);
        return minutes == 1 ? "a minute" : minutes + " minutes";
    }

    @GET
    @Path("/invitations/{token}")
    public Response invitationPage(@PathParam("token") String token) {
        Optional<Invitation> invitation = accounts.invitation(token);
        if (invitation.isEmpty()) {
            return invalidInvitation();
        }
        FormCookie cookie = formCookie();
        return cookie.attach(pages.html(200, Templates.invitation(pages.page("Join the shop", ""), new Form(),
                invitation.get(), token, cookie.token())));
    }

    @POST
    @Path("/invitations/{token}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @RunOnVirtualThread // hashes the new password (in turn with the node's other checks)
    public Response accept(@PathParam("token") String token, @RestForm String name, @RestForm String password,
                           @RestForm String confirmation) {
        Optional<Invitation> invitation = accounts.invitation(token);
        if (invitation.isEmpty()) {
            return invalidInvitation();
        }
        Form form = new Form().set("name", name);
        if (name == null || name.isBlank()) {
            form.reject("name", "Enter your name.");
        } else if (name.length() > 200) {
            form.reject("name", "A name has at most 200 characters.");
        }
        Passwords.check(form, "password", password);
        if (!form.invalid("password") && !password.equals(confirmation)) {
            form.reject("confirmation", "The two passwords differ.");
        }
        if (!form.hasErrors()) {
            Optional<SignIn> joined = accounts.accept(token, name, password);
            if (joined.isEmpty()) {
                return invalidInvitation();
            }
            return Response.seeOther(URI.create("/admin"))
                    .cookie(pages.sessionCookie(joined.get().sessionToken(), java.time.Duration.ofHours(12)),
                            pages.expired(Pages.FORM_COOKIE))
                    .build();
        }
        FormCookie cookie = formCookie();
        return cookie.attach(pages.html(400, Templates.invitation(pages.page("Join the shop", ""), form, invitation.get(),
                token, cookie.token())));
    }

    @ServerExceptionMapper
    Response refused(ProblemException e) {
        return pages.refused(e);
    }

    @ServerExceptionMapper
    Response failed(RuntimeException e) {
        return pages.failed(e);
    }

    private Response invalidInvitation() {
        return pages.error(404, "Invitation not found",
                "This invitation link is not valid: it may have expired, been withdrawn or already been used.");
    }

    /** The signed-out form token: the digest of a random cookie value, kept while the cookie lives. */
    private FormCookie formCookie() {
        Cookie existing = headers.getCookies().get(Pages.FORM_COOKIE);
        if (existing != null && !existing.getValue().isBlank()) {
            return new FormCookie(null, CurrentStaff.csrfOf(existing.getValue()));
        }
        String value = Secrets.randomToken("");
        return new FormCookie(pages.formCookie(value), CurrentStaff.csrfOf(value));
    }

    private record FormCookie(jakarta.ws.rs.core.NewCookie cookie, String token) {
        Response attach(Response response) {
            return cookie == null ? response : Response.fromResponse(response).cookie(cookie).build();
        }
    }
}
