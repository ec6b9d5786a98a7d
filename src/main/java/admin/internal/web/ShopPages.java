package admin.internal.web;

import admin.internal.Money;
import admin.internal.ShopDay;
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
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;
import orders.MerchantOrders;
import orders.MerchantOrders.Sales;
import orders.WaitingRooms;
import org.jboss.resteasy.reactive.RestForm;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import platform.ProblemException;
import platform.RoleGate;
import platform.bulkhead.Traffic;
import platform.bulkhead.TrafficClass;
import tenancy.ShopRequest;
import tenancy.ShopSettings;
import tenancy.StaffAccounts;
import tenancy.TenantContext;
import tenancy.TenantDirectory;
import tenancy.TenantRef;

/** The dashboard (today is the shop's local day, and its waiting room now), the shop's settings (its time zone), and signing out. */
@Path("/admin")
@Produces(MediaType.TEXT_HTML)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@Traffic(TrafficClass.ADMIN)
@AdminUi
public class ShopPages {

    /** Variants with this many items or fewer are shown as low in stock. */
    static final int LOW_STOCK = 5;

    /** Every IANA region zone id the JDK knows, sorted: suggestions for the time zone field. */
    static final List<String> ZONES = ZoneId.getAvailableZoneIds().stream()
            .filter(z -> z.contains("/") && !z.startsWith("Etc/") && !z.startsWith("SystemV/")).sorted().toList();

    @Inject Pages pages;
    @Inject MerchantCatalog catalog;
    @Inject MerchantOrders orders;
    @Inject WaitingRooms rooms;
    @Inject StaffAccounts accounts;
    @Inject CurrentStaff current;
    @Inject TenantContext tenant;
    @Inject TenantDirectory directory;
    @Inject ShopSettings shopSettings;
    @Inject Clock clock;

    @GET
    public Response dashboard() {
        ZoneId zone = shopSettings.current().timeZone();
        ShopDay today = ShopDay.containing(clock.instant(), zone);
        Sales sales = orders.sales(today.from(), today.to());
        List<String> revenue = sales.revenueMinorByCurrency().entrySet().stream()
                .map(e -> Money.format(e.getValue(), e.getKey())).toList();
        var recent = orders.list(Optional.empty(), Optional.empty(), Optional.empty(), 5).items().stream()
                .map(OrderPages::row).toList();
        Dashboard dashboard = new Dashboard(today.day().toString(), zone.getId(), sales.orders(), revenue,
                catalog.lowStock(LOW_STOCK, 10), recent, WaitingRoomPages.view(rooms, WaitingRoomPages.form(rooms.settings())));
        return pages.html(200, Templates.dashboard(pages.page("Dashboard", "dashboard"), dashboard));
    }

    @GET
    @Path("/settings")
    public Response settings() {
        return settingsPage(200, new Form().set("timeZone", shopSettings.current().timeZone().getId()), null);
    }

    @POST
    @Path("/settings")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saveSettings(@RestForm String timeZone) {
        Form form = new Form().set("timeZone", timeZone);
        if (timeZone == null || timeZone.isBlank()) {
            form.reject("timeZone", "Enter a time zone such as Europe/Paris, America/New_York or UTC.");
        } else {
            try {
                ShopSettings.Settings saved = shopSettings.setTimeZone(timeZone.strip());
                return settingsPage(200, new Form().set("timeZone", saved.timeZone().getId()),
                        "Settings saved. The dashboard counts days in " + saved.timeZone().getId() + ".");
            } catch (ProblemException refused) {
                if (refused.problem().status() != 400) {
                    throw refused;
                }
                form.reject("timeZone", "Unknown time zone. Enter an IANA time zone such as Europe/Paris, America/New_York or UTC.");
            }
        }
        return settingsPage(400, form, null);
    }

    private Response settingsPage(int status, Form form, String notice) {
        TenantRef shop = directory.byId(tenant.require()).orElseThrow();
        Page page = pages.page("Settings", "settings");
        if (notice != null) {
            page = page.withNotice(notice);
        }
        return pages.html(status, Templates.settings(page,
                new Settings(shop.handle(), shop.plan(), shop.status(), directory.hosts(shop.id()), form, ZONES)));
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
