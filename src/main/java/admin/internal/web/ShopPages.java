package admin.internal.web;

import admin.internal.Money;
import admin.internal.web.Views.Dashboard;
import admin.internal.web.Views.Settings;
import catalog.MerchantCatalog;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import orders.MerchantOrders;
import orders.MerchantOrders.Sales;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import platform.ProblemException;
import platform.RoleGate;
import tenancy.ShopRequest;
import tenancy.StaffAccounts;
import tenancy.TenantContext;
import tenancy.TenantDirectory;
import tenancy.TenantRef;

/** The dashboard, the shop's settings, and signing out. */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@AdminUi
public class ShopPages {

    /** Variants with this many items or fewer are shown as low in stock. */
    static final int LOW_STOCK = 5;

    @Inject Pages pages;
    @Inject MerchantCatalog catalog;
    @Inject MerchantOrders orders;
    @Inject StaffAccounts accounts;
    @Inject CurrentStaff current;
    @Inject TenantContext tenant;
    @Inject TenantDirectory directory;
    @Inject Clock clock;

    @GET
    public Response dashboard() {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        Instant from = today.atStartOfDay(ZoneOffset.UTC).toInstant();
        Sales sales = orders.sales(from, from.plusSeconds(86_400));
        List<String> revenue = sales.revenueMinorByCurrency().entrySet().stream()
                .map(e -> Money.format(e.getValue(), e.getKey())).toList();
        var recent = orders.list(Optional.empty(), Optional.empty(), Optional.empty(), 5).items().stream()
                .map(OrderPages::row).toList();
        Dashboard dashboard = new Dashboard(today.toString(), sales.orders(), revenue, catalog.lowStock(LOW_STOCK, 10), recent);
        return pages.html(200, Templates.dashboard(pages.page("Dashboard", "dashboard"), dashboard));
    }

    @GET
    @Path("/settings")
    public Response settings() {
        TenantRef shop = directory.byId(tenant.require()).orElseThrow();
        return pages.html(200, Templates.settings(pages.page("Settings", "settings"),
                new Settings(shop.handle(), shop.plan(), shop.status(), directory.hosts(shop.id()))));
    }

    @POST
    @Path("/sign-out")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response signOut() {
        accounts.signOut(current.sessionToken());
        return Response.seeOther(java.net.URI.create("/admin/sign-in")).cookie(pages.expired(Pages.SESSION_COOKIE)).build();
    }

    @ServerExceptionMapper
    Response refused(ProblemException e) {
        return pages.refused(e);
    }

    @ServerExceptionMapper
    Response failed(RuntimeException e) {
        return pages.failed(e);
    }
}
