package orders.internal.web;

import orders.internal.Checkout;
import orders.internal.OrderLine;
import orders.internal.OrderViews.OrderLineView;
import orders.internal.OrderViews.OrderView;

/** Order entities to views. */
final class OrderMapping {

    private OrderMapping() {}

    static OrderView view(Checkout.Result result, boolean withToken) {
        var o = result.order();
        return new OrderView(o.orderId, o.number, o.status, o.currency, o.totalMinor, o.email,
                result.lines().stream().map(OrderMapping::line).toList(), o.createdAt, o.updatedAt,
                withToken ? o.statusToken : null);
    }

    static OrderLineView line(OrderLine l) {
        return new OrderLineView(l.lineNo, l.variantId, l.sku, l.title, l.quantity, l.unitPriceMinor,
                l.unitPriceMinor * l.quantity);
    }
}
