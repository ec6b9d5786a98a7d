package admin.internal.web;

import admin.internal.web.Views.CustomerRequestPage;
import admin.internal.web.Views.Dashboard;
import admin.internal.web.Views.ExportRow;
import admin.internal.web.Views.OrderDetails;
import admin.internal.web.Views.OrderList;
import admin.internal.web.Views.ProductEditor;
import admin.internal.web.Views.ProductRow;
import admin.internal.web.Views.Settings;
import admin.internal.web.Views.StaffPage;
import admin.internal.web.Views.WaitingRoomPage;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import java.util.List;
import tenancy.StaffAccounts.Invitation;
import tenancy.StaffAccounts.StaffMember;

/** The admin's pages (src/main/resources/templates/admin), checked against these types at build time. */
@CheckedTemplate(basePath = "admin")
final class Templates {

    private Templates() {}

    static native TemplateInstance signIn(Page page, Form form, String next, String formToken);

    static native TemplateInstance invitation(Page page, Form form, Invitation invitation, String token, String formToken);

    static native TemplateInstance dashboard(Page page, Dashboard dashboard);

    static native TemplateInstance products(Page page, String q, List<ProductRow> rows, String next);

    static native TemplateInstance product(Page page, ProductEditor editor);

    static native TemplateInstance productDelete(Page page, String id, String title);

    static native TemplateInstance orders(Page page, OrderList list);

    static native TemplateInstance order(Page page, OrderDetails order);

    static native TemplateInstance staff(Page page, StaffPage staff);

    static native TemplateInstance staffRemove(Page page, StaffMember member);

    static native TemplateInstance password(Page page, Form form);

    static native TemplateInstance settings(Page page, Settings settings);

    static native TemplateInstance waitingRoom(Page page, WaitingRoomPage room);

    static native TemplateInstance customers(Page page, CustomerRequestPage customers);

    static native TemplateInstance exports(Page page, List<ExportRow> exports);

    static native TemplateInstance error(Page page, int status, String title, String detail);
}
