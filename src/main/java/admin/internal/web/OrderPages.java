package admin.internal.web;

import admin.internal.Money;
import admin.internal.web.Views.Action;
import admin.internal.web.Views.LineRow;
import admin.internal.web.Views.OrderDetails;
import admin.internal.web.Views.OrderList;
import admin.internal.web.Views.OrderRow;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import orders.MerchantOrders;
import orders.MerchantOrders.MerchantOrder;
import orders.MerchantOrders.OrderPage;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import platform.ProblemException;
import platform.RoleGate;
import platform.bulkhead.Traffic;
import platform.bulkhead.TrafficClass;
import tenancy.ShopRequest;

/** The orders pages: list with filters, and an order with its fulfil, cancel and refund actions. */
@Path("/admin/orders")
@Produces(MediaType.TEXT_HTML)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@Traffic(TrafficClass.ADMIN)
@AdminUi
public class OrderPages {

    static final DateTimeFormatter WHEN = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm 'UTC'").withZone(ZoneOffset.UTC);
    /** The actions of the order page: path segment, status it leads to, button label. */
    static final Map<String, String> ACTIONS = Map.of("pay", "paid", "fulfil", "fulfilled", "cancel", "cancelled",
            "refund", "refunded");

    @Inject Pages pages;
    @Inject MerchantOrders orders;

    @GET
    @Traffic(TrafficClass.REPORT)
    public Response list(@QueryParam("status") String status, @QueryParam("email") String email,
                         @QueryParam("before") String before) {
        String chosen = status != null && MerchantOrders.STATUSES.contains(status) ? status : "";
        String search = email == null ? "" : email.strip();
        if (search.length() > 254) {
            search = search.substring(0, 254);
        }
        OrderPage page;
        try {
            page = orders.list(Optional.of(chosen).filter(s -> !s.isEmpty()), Optional.of(search).filter(s -> !s.isEmpty()),
                    Optional.ofNullable(before).filter(b -> !b.isBlank()), 25);
        } catch (ProblemException badCursor) {
            return Pages.redirect("/admin/orders");
        }
        List<OrderRow> rows = page.items().stream().map(OrderPages::row).toList();
        String next = page.next() == null ? "" : "/admin/orders?before=" + Pages.encode(page.next())
                + (chosen.isEmpty() ? "" : "&status=" + chosen) + (search.isEmpty() ? "" : "&email=" + Pages.encode(search));
        return pages.html(200, Templates.orders(pages.page("Orders", "orders"),
                new OrderList(chosen, search, MerchantOrders.STATUSES, rows, next)));
    }

    @GET
    @Path("/{id}")
    public Response order(@PathParam("id") String id, @QueryParam("done") String done) {
        Optional<MerchantOrder> order = Pages.uuid(id).flatMap(orders::get);
        if (order.isEmpty()) {
            return notFound();
        }
        Page page = pages.page("Order #" + order.get().number(), "orders");
        if (done != null && ACTIONS.containsValue(done)) {
            page = page.withNotice("The order is now " + done + ".");
        }
        return pages.html(200, Templates.order(page, details(order.get())));
    }

    @POST
    @Path("/{id}/{action}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response act(@PathParam("id") String id, @PathParam("action") String action) {
        Optional<UUID> orderId = Pages.uuid(id);
        String next = ACTIONS.get(action);
        if (orderId.isEmpty() || next == null) {
            return notFound();
        }
        try {
            if (orders.transition(orderId.get(), next).isEmpty()) {
                return notFound();
            }
        } catch (ProblemException refused) {
            MerchantOrder order = orders.get(orderId.get()).orElse(null);
            if (order == null) {
                return notFound();
            }
            return pages.html(409, Templates.order(pages.page("Order #" + order.number(), "orders")
                    .withNotice(refused.problem().detail()), details(order)));
        }
        return Pages.redirect("/admin/orders/" + id + "?done=" + next);
    }

    @ServerExceptionMapper
    Response refused(ProblemException e) {
        return pages.refused(e);
    }

    @ServerExceptionMapper
    Response failed(RuntimeException e) {
        return pages.failed(e);
    }

    private Response notFound() {
        return pages.error(404, "Order not found", "This shop has no such order.");
    }

    static OrderRow row(MerchantOrder o) {
        int items = o.lines().stream().mapToInt(MerchantOrders.Line::quantity).sum();
        return new OrderRow(o.id().toString(), o.number(), WHEN.format(o.createdAt()), o.email(), o.status(),
                Money.format(o.totalMinor(), o.currency()), items);
    }

    static OrderDetails details(MerchantOrder o) {
        List<LineRow> lines = o.lines().stream().map(l -> new LineRow(l.sku(), l.title(), l.quantity(),
                Money.format(l.unitPriceMinor(), o.currency()), Money.format(l.lineTotalMinor(), o.currency()))).toList();
        List<Action> actions = o.nextStatuses().stream().map(s -> switch (s) {
            case "paid" -> new Action("pay", "Mark as paid", false);
            case "fulfilled" -> new Action("fulfil", "Fulfil order", false);
            case "cancelled" -> new Action("cancel", "Cancel order and restock", true);
            default -> new Action("refund", "Refund order", true);
        }).toList();
        return new OrderDetails(o.id().toString(), o.number(), o.status(), o.email(), WHEN.format(o.createdAt()),
                WHEN.format(o.updatedAt()), Money.format(o.totalMinor(), o.currency()), lines, actions);
    }
}
