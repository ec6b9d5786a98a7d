package admin.internal.web;

import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import tenancy.TenantContext;
import tenancy.TenantDirectory;
import tenancy.TenantRef;

/** What every admin page needs: its layout data, cookies, redirects and error pages. */
@RequestScoped
class Pages {

    private static final org.jboss.logging.Logger LOG = org.jboss.logging.Logger.getLogger(Pages.class);

    /** The browser session of the admin UI. */
    static final String SESSION_COOKIE = "sf_admin";
    /** A random value whose digest is the form token of the signed-out pages (double-submit). */
    static final String FORM_COOKIE = "sf_admin_form";

    @Inject CurrentStaff current;
    @Inject TenantContext tenant;
    @Inject TenantDirectory directory;
    @Inject jakarta.ws.rs.core.HttpHeaders headers;
    @Inject platform.bulkhead.TenantBulkhead bulkhead;

    Page page(String title, String section) {
        String shop = tenant.current().flatMap(directory::byId).map(TenantRef::handle).orElse("");
        if (current.present()) {
            return new Page(title, section, shop, current.principal().email(), current.principal().role(), current.csrf(), null);
        }
        return new Page(title, section, shop, null, null, null, null);
    }

    Response html(int status, Object entity) {
        return Response.status(status).type(MediaType.TEXT_HTML_TYPE.withCharset("UTF-8")).entity(entity).build();
    }

    /** A refusal of the request as an error page (not found, forbidden, conflict...). */
    Response refused(platform.ProblemException e) {
        Response page = error(e.problem().status(), e.problem().title(), e.problem().detail());
        return e.retryAfter().map(delay -> Response.fromResponse(page)
                .header("Retry-After", platform.ProblemException.retryAfterSeconds(delay)).build()).orElse(page);
    }

    /**
     * An unexpected failure: logged with its stack trace, shown without it. A database that could not do
     * the work in time (a query or lock wait cut by its timeout, no connection free) is a 503 page with
     * {@code Retry-After}, not a failure.
     */
    Response failed(RuntimeException e) {
        if (e instanceof jakarta.ws.rs.WebApplicationException refused && refused.getResponse().getStatus() < 500) {
            int status = refused.getResponse().getStatus();
            var reason = Response.Status.fromStatusCode(status);
            return error(status, reason == null ? "Request refused" : reason.getReasonPhrase(),
                    "This request cannot be answered as it was sent.");
        }
        var databaseRefusal = bulkhead.refusal(e);
        if (databaseRefusal.isPresent()) {
            LOG.warnf("admin page answered 503: %s", e.getMessage());
            return refused(databaseRefusal.get());
        }
        LOG.error("admin page failed", e);
        return error(500, "Something went wrong", "Your request was not completed. Try again in a moment.");
    }

    Response error(int status, String title, String detail) {
        return html(status, Templates.error(page(title, ""), status, title, detail));
    }

    /** A 303 to another admin page after a successful post (post/redirect/get). */
    static Response redirect(String path) {
        return Response.seeOther(java.net.URI.create(path)).build();
    }

    NewCookie sessionCookie(String token, Duration maxAge) {
        return new NewCookie.Builder(SESSION_COOKIE).value(token).path("/admin").httpOnly(true).secure(secure())
                .sameSite(NewCookie.SameSite.LAX).maxAge((int) maxAge.toSeconds()).build();
    }

    NewCookie formCookie(String value) {
        return new NewCookie.Builder(FORM_COOKIE).value(value).path("/admin").httpOnly(true).secure(secure())
                .sameSite(NewCookie.SameSite.STRICT).maxAge((int) Duration.ofHours(2).toSeconds()).build();
    }

    NewCookie expired(String name) {
        return new NewCookie.Builder(name).value("").path("/admin").httpOnly(true).secure(secure()).maxAge(0).build();
    }

    /** The shop's address as the browser used it (the gateway keeps the Host and says which scheme it served). */
    String origin() {
        String host = headers.getHeaderString("Host");
        return (secure() ? "https://" : "http://") + (host == null ? "localhost" : host);
    }

    private boolean secure() {
        String proto = headers.getHeaderString("X-Forwarded-Proto");
        return proto != null && proto.equalsIgnoreCase("https");
    }

    /** An id from a URL; empty when it is not one (answered as "not found", like an unknown id). */
    static java.util.Optional<java.util.UUID> uuid(String text) {
        try {
            return java.util.Optional.of(java.util.UUID.fromString(text));
        } catch (IllegalArgumentException | NullPointerException e) {
            return java.util.Optional.empty();
        }
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    /** A local admin path to go to after signing in; anything else (another site, odd paths) is the dashboard. */
    static String safeNext(String next) {
        if (next == null || !next.startsWith("/admin") || next.startsWith("//") || next.contains("\\")
                || next.length() > 500 || next.startsWith("/admin/sign-")) {
            return "/admin";
        }
        return next;
    }
}
