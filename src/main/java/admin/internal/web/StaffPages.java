package admin.internal.web;

import admin.internal.web.Views.StaffPage;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Optional;
import java.util.UUID;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import platform.ProblemException;
import platform.RoleGate;
import platform.bulkhead.Traffic;
import platform.bulkhead.TrafficClass;
import tenancy.ShopRequest;
import tenancy.StaffAccounts;
import tenancy.StaffAccounts.StaffMember;

/** Staff accounts: the list, invitations, removal, and changing one's own password. */
@Path("/admin/staff")
@Produces(MediaType.TEXT_HTML)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@Traffic(TrafficClass.ADMIN)
@AdminUi
public class StaffPages {

    private static final java.util.regex.Pattern EMAIL = java.util.regex.Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");

    @Inject Pages pages;
    @Inject StaffAccounts accounts;
    @Inject CurrentStaff current;

    @GET
    public Response staff() {
        return page(200, new Form().set("role", "staff"), "", null);
    }

    @POST
    @Path("/invitations")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response invite(@RestForm String email, @RestForm String role) {
        Form form = new Form().set("email", email).set("role", role);
        String address = email == null ? "" : email.strip();
        if (address.isEmpty()) {
            form.reject("email", "Enter the email address of the person to invite.");
        } else if (address.length() > 254 || !EMAIL.matcher(address).matches()) {
            form.reject("email", "Enter an email address such as name@example.com.");
        }
        if (role == null || !StaffAccounts.ROLES.contains(role)) {
            form.reject("role", "Choose owner or staff.");
        }
        if (!form.hasErrors()) {
            try {
                String token = accounts.invite(address, role, current.principal());
                return page(200, new Form().set("role", "staff"), pages.origin() + "/admin/invitations/" + token,
                        "Invitation created for " + address.toLowerCase(java.util.Locale.ROOT) + ".");
            } catch (ProblemException refused) {
                if (refused.problem().status() == 403) {
                    throw refused;
                }
                form.reject(refused, java.util.function.UnaryOperator.identity());
            }
        }
        return page(400, form, "", null);
    }

    @POST
    @Path("/invitations/{id}/withdraw")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response withdraw(@PathParam("id") String id) {
        requireOwner();
        if (Pages.uuid(id).map(accounts::withdraw).orElse(false)) {
            return Pages.redirect("/admin/staff");
        }
        return pages.error(404, "Invitation not found", "This shop has no such pending invitation.");
    }

    @GET
    @Path("/{id}/remove")
    public Response confirmRemove(@PathParam("id") String id) {
        Optional<StaffMember> member = member(id);
        if (member.isEmpty()) {
            return notFound();
        }
        return pages.html(200, Templates.staffRemove(pages.page("Remove " + member.get().email(), "staff"), member.get()));
    }

    @POST
    @Path("/{id}/remove")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response remove(@PathParam("id") String id) {
        Optional<UUID> staffId = Pages.uuid(id);
        if (staffId.isEmpty()) {
            return notFound();
        }
        try {
            if (!accounts.remove(staffId.get(), current.principal())) {
                return notFound();
            }
        } catch (ProblemException refused) {
            if (refused.problem().status() == 409) {
                return page(409, new Form().set("role", "staff"), "", refused.problem().detail());
            }
            throw refused;
        }
        return Pages.redirect("/admin/staff");
    }

    @GET
    @Path("/password")
    public Response passwordPage() {
        return pages.html(200, Templates.password(pages.page("Change password", "staff"), new Form()));
    }

    @POST
    @Path("/password")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response changePassword(@RestForm String currentPassword, @RestForm String newPassword,
                                   @RestForm String confirmation) {
        Form form = new Form();
        if (currentPassword == null || currentPassword.isEmpty()) {
            form.reject("currentPassword", "Enter your current password.");
        }
        Passwords.check(form, "newPassword", newPassword);
        if (!form.invalid("newPassword") && !newPassword.equals(confirmation)) {
            form.reject("confirmation", "The two new passwords differ.");
        }
        if (!form.hasErrors()) {
            try {
                accounts.changePassword(current.principal(), currentPassword, newPassword, current.sessionToken());
                return pages.html(200, Templates.password(pages.page("Change password", "staff")
                        .withNotice("Password changed. Your other sessions were signed out."), new Form()));
            } catch (ProblemException refused) {
                form.reject(refused, java.util.function.UnaryOperator.identity());
            }
        }
        return pages.html(400, Templates.password(pages.page("Change password", "staff"), form));
    }

    @ServerExceptionMapper
    Response refused(ProblemException e) {
        return pages.refused(e);
    }

    @ServerExceptionMapper
    Response failed(RuntimeException e) {
        return pages.failed(e);
    }

    private Response page(int status, Form invite, String link, String notice) {
        Page page = pages.page("Staff", "staff");
        if (notice != null) {
            page = page.withNotice(notice);
        }
        return pages.html(status, Templates.staff(page, new StaffPage(accounts.members(),
                current.principal().role().equals("owner") ? accounts.pendingInvitations() : java.util.List.of(), invite, link)));
    }

    private Optional<StaffMember> member(String id) {
        return Pages.uuid(id).flatMap(uuid -> accounts.members().stream().filter(m -> m.id().equals(uuid)).findFirst());
    }

    private void requireOwner() {
        if (!"owner".equals(current.principal().role())) {
            throw new ProblemException(platform.Problem.of(403, "Forbidden", "Only the shop's owners manage its staff."));
        }
    }

    private Response notFound() {
        return pages.error(404, "Staff member not found", "This shop has no such staff account.");
    }
}
