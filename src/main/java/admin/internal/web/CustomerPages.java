package admin.internal.web;

import admin.internal.Money;
import admin.internal.web.Views.CustomerRequestPage;
import admin.internal.web.Views.OrderRow;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Optional;
import orders.CustomerRequests;
import orders.CustomerRequests.CustomerData;
import orders.CustomerRequests.Redaction;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import platform.Problem;
import platform.ProblemException;
import platform.RoleGate;
import platform.bulkhead.Traffic;
import platform.bulkhead.TrafficClass;
import tenancy.ShopRequest;

/**
 * Customers' data requests, for the shop's owner: find a customer by email, download everything the shop holds about
 * them (JSON), or redact them (the orders stay for the accounts, without the person), after a confirmation.
 */
@Path("/admin/customers")
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@Traffic(TrafficClass.ADMIN)
@AdminUi
public class CustomerPages {

    static final String EMAIL = "[^@\\s]{1,64}@[^@\\s]{1,189}";

    @Inject Pages pages;
    @Inject CurrentStaff current;
    @Inject CustomerRequests requests;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public Response page(@QueryParam("email") String email) {
        requireOwner();
        String search = email == null ? "" : email.strip();
        if (search.isEmpty()) {
            return page(200, new Form().set("email", ""), Optional.empty(), null);
        }
        Form form = new Form().set("email", search);
        if (!search.matches(EMAIL) || search.length() > 254) {
            return page(400, form.reject("email", "Enter an email address, like shopper@example.com."), Optional.empty(), null);
        }
        Optional<CustomerData> data = requests.data(search);
        if (data.isEmpty()) {
            form.fail("This shop holds no customer or order under " + search + ".");
        }
        return page(200, form, data, null);
    }

    /** Everything the shop holds about the customer, as a JSON download. */
    @GET
    @Path("/data")
    @Produces(MediaType.APPLICATION_JSON)
    public Response data(@QueryParam("email") String email) {
        requireOwner();
        String search = email == null ? "" : email.strip();
        if (!search.matches(EMAIL) || search.length() > 254) {
            throw ProblemException.invalidField("email", "must be an email address");
        }
        CustomerData data = requests.data(search)
                .orElseThrow(() -> ProblemException.notFound("This shop holds no customer or order under this email."));
        return Response.ok(data, MediaType.APPLICATION_JSON)
                .header("Content-Disposition", "attachment; filename=\"customer-data.json\"").header("Cache-Control", "no-store").build();
    }

    @POST
    @Path("/redact")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response redact(@RestForm String email, @RestForm String confirm) {
        requireOwner();
        String address = email == null ? "" : email.strip();
        Form form = new Form().set("email", address);
        Optional<CustomerData> data = address.matches(EMAIL) ? requests.data(address) : Optional.empty();
        if (data.isEmpty()) {
            return page(404, form.fail("This shop holds no customer or order under " + address + "."), Optional.empty(), null);
        }
        if (confirm == null) {
            return page(400, form.reject("confirm", "Tick the box to confirm: a redaction cannot be undone."), data, null);
        }
        Redaction done = requests.redact(address).orElseThrow();
        return page(200, new Form().set("email", ""), Optional.empty(), "Redacted " + address + ": " + done.orders()
                + " order(s) kept for your accounts, now under " + done.redactedEmail() + ".");
    }

    private Response page(int status, Form form, Optional<CustomerData> data, String notice) {
        Page page = pages.page("Customers' data requests", "customers");
        if (notice != null) {
            page = page.withNotice(notice);
        }
        List<OrderRow> orders = data.map(d -> d.orders().stream().map(o -> new OrderRow(o.id().toString(), o.number(),
                OrderPages.WHEN.format(o.createdAt()), o.email(), o.status(), Money.format(o.totalMinor(), o.currency()),
                o.lines().stream().mapToInt(CustomerRequests.Line::quantity).sum())).toList()).orElse(List.of());
        CustomerRequests.Customer customer = data.map(CustomerData::customer).orElse(null);
        return pages.html(status, Templates.customers(page, new CustomerRequestPage(form, data.isPresent(),
                data.map(CustomerData::email).orElse(""),
                data.map(d -> Pages.encode(d.email())).orElse(""), customer == null ? "" : customer.name(),
                customer == null ? "" : Money.format(customer.spentMinor(), customer.currency() == null ? "EUR" : customer.currency()),
                orders)));
    }

    private void requireOwner() {
        if (!"owner".equals(current.principal().role())) {
            throw new ProblemException(Problem.of(403, "Forbidden", "Only the shop's owner answers customers' data requests."));
        }
    }

    @ServerExceptionMapper
    Response refused(ProblemException e) {
        return pages.refused(e);
    }
}
