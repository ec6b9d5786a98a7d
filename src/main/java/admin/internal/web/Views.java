package admin.internal.web;

import catalog.AdminViews.LowStockVariant;
import java.util.List;
import tenancy.StaffAccounts.Invitation;
import tenancy.StaffAccounts.StaffMember;

/** What the admin templates show, already formatted for people. */
final class Views {

    private Views() {}

    /** A product in the products list. */
    record ProductRow(String id, String title, String handle, String status, int variants, int stock, String price) {}

    /** A variant row of the product editor; {@code id} is empty for a new variant. */
    record VariantRow(int index, String id, String sku, String title, String price, String currency, String stock,
                      String stockWas, boolean remove) {

        /** The form field name of one of this row's inputs, e.g. {@code variants[1].price}. */
        public String key(String field) {
            return "variants[" + index + "]." + field;
        }

        public boolean existing() {
            return !id.isEmpty();
        }
    }

    /** A collection the product may belong to. */
    record CollectionChoice(String handle, String title, boolean checked) {}

    /** The product editor: the typed values, the variant rows and the collections. */
    record ProductEditor(Form form, String productId, List<VariantRow> variants, List<CollectionChoice> collections) {

        public boolean editing() {
            return productId != null;
        }
    }

    /** An order in a list. */
    record OrderRow(String id, long number, String placed, String email, String status, String total, int items) {}

    /** A line of an order. */
    record LineRow(String sku, String title, int quantity, String unitPrice, String lineTotal) {}

    /** A status change the merchant can make, as a button. */
    record Action(String path, String label, boolean destructive) {}

    /** An order page. */
    record OrderDetails(String id, long number, String status, String email, String placed, String updated, String total,
                        List<LineRow> lines, List<Action> actions) {}

    /** The dashboard. */
    record Dashboard(String day, String timeZone, long ordersToday, List<String> revenueToday, List<LowStockVariant> lowStock,
                     List<OrderRow> recentOrders, WaitingRoomPage waitingRoom) {}

    /** The waiting room's page: the settings form, whether it is on and why, and its figures now. */
    record WaitingRoomPage(Form form, String state, long waiting, long admitted, long sold, long soldOut, boolean live) {}

    /**
     * The customers' data requests page: the search form, and when a customer was found, what the shop holds (its
     * orders) with the download and the redaction.
     */
    record CustomerRequestPage(Form form, boolean found, String email, String emailParameter, String name, String spent,
                               List<OrderRow> orders) {}

    /** An export of the shop, on the data export page ({@code status}: running, ready, failed, expired). */
    record ExportRow(String id, String status, String requested, long rows, String size, String expires, String error) {}

    /** The orders list with its filters. */
    record OrderList(String status, String email, List<String> statuses, List<OrderRow> rows, String next) {}

    /** The staff page. */
    record StaffPage(List<StaffMember> members, List<Invitation> invitations, Form invite, String invitationLink) {}

    /** Shop settings; the form holds the editable ones ({@code timeZone}). */
    record Settings(String handle, String plan, String status, List<String> hosts, Form form, List<String> zones) {}
}
