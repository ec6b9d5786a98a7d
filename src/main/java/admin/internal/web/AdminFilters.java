package admin.internal.web;

import jakarta.inject.Inject;
import jakarta.ws.rs.HttpMethod;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Cookie;
import jakarta.ws.rs.core.Response;
import java.net.URI;
import java.util.Optional;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;
import org.jboss.resteasy.reactive.server.WithFormRead;
import org.jboss.resteasy.reactive.server.core.ResteasyReactiveRequestContext;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveContainerRequestContext;
import platform.Secrets;
import tenancy.StaffAccounts;
import tenancy.StaffPrincipal;

/**
 * Guards every admin page after the shop has been resolved: a page needs a live session of a staff
 * member of this shop (else it redirects to sign-in), and every form post must carry the form token
 * of the session (or, signed out, the sign-in cookie's token); a post without it is refused before
 * any resource code runs. Responses get the admin's security headers.
 */
class AdminFilters {

    /** After the shop is resolved (tenancy's filter runs at AUTHENTICATION - 100). */
    static final int PRIORITY = jakarta.ws.rs.Priorities.AUTHENTICATION;
    static final String CSRF_FIELD = "_csrf";

    @Inject StaffAccounts accounts;
    @Inject CurrentStaff current;
    @Inject ResourceInfo resource;
    @Inject Pages pages;

    @ServerRequestFilter(priority = PRIORITY)
    @WithFormRead
    @AdminUi
    Optional<Response> guard(ResteasyReactiveContainerRequestContext request) {
        Cookie cookie = request.getCookies().get(Pages.SESSION_COOKIE);
        if (cookie != null) {
            Optional<StaffPrincipal> staff = accounts.session(cookie.getValue());
            staff.ifPresent(p -> current.signedIn(p, cookie.getValue()));
        }
        boolean signedOutPage = resource.getResourceClass() != null && resource.getResourceClass().isAnnotationPresent(SignedOut.class);
        boolean post = HttpMethod.POST.equals(request.getMethod());
        if (!signedOutPage && !current.present()) {
            String next = request.getUriInfo().getRequestUri().getRawPath();
            String query = request.getUriInfo().getRequestUri().getRawQuery();
            if (!post && query != null) {
                next += "?" + query;
            }
            return Optional.of(Response.seeOther(URI.create("/admin/sign-in?next=" + Pages.encode(post ? "/admin" : next)))
                    .build());
        }
        if (post) {
            String expected;
            if (signedOutPage) {
                Cookie signIn = request.getCookies().get(Pages.FORM_COOKIE);
                expected = signIn == null ? null : CurrentStaff.csrfOf(signIn.getValue());
            } else {
                expected = current.csrf();
            }
            Object sent = ((ResteasyReactiveRequestContext) request.getServerRequestContext()).getFormParameter(CSRF_FIELD, true, false);
            if (expected == null || !(sent instanceof String token) || !Secrets.sameString(expected, token)) {
                return Optional.of(pages.error(403, "This form has expired",
                        "The page was open too long or came from elsewhere. Go back, reload the page and try again."));
            }
        }
        return Optional.empty();
    }

    @ServerResponseFilter
    @AdminUi
    void securityHeaders(ContainerResponseContext response) {
        var headers = response.getHeaders();
        headers.putSingle("Cache-Control", "no-store");
        headers.putSingle("X-Content-Type-Options", "nosniff");
        headers.putSingle("X-Frame-Options", "DENY");
        headers.putSingle("Referrer-Policy", "same-origin");
        headers.putSingle("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:;"
                + " form-action 'self'; frame-ancestors 'none'; base-uri 'none'");
    }
}
