package admin.internal.web;

import admin.internal.Money;
import admin.internal.web.Views.ProductEditor;
import admin.internal.web.Views.ProductRow;
import catalog.AdminViews.AdminProduct;
import catalog.AdminViews.AdminProductPage;
import catalog.AdminViews.AdminVariant;
import catalog.MerchantCatalog;
import io.quarkus.resteasy.reactive.server.EndpointDisabled;
import jakarta.inject.Inject;
import jakarta.ws.rs.BeanParam;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.LongSummaryStatistics;
import java.util.Optional;
import java.util.UUID;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;
import platform.ProblemException;
import platform.RoleGate;
import platform.bulkhead.Traffic;
import platform.bulkhead.TrafficClass;
import tenancy.ShopRequest;

/** The products pages: list with search and paging, create, edit (variants, prices, stock, collections), delete. */
@Path("/admin/products")
@Produces(MediaType.TEXT_HTML)
@EndpointDisabled(name = RoleGate.SERVES_CELL, stringValue = "false")
@ShopRequest
@Traffic(TrafficClass.ADMIN)
@AdminUi
public class ProductPages {

    static final int PAGE_SIZE = 25;

    @Inject Pages pages;
    @Inject MerchantCatalog catalog;
    @Inject ProductEditing editing;

    @GET
    @Traffic(TrafficClass.REPORT)
    public Response list(@QueryParam("q") String q, @QueryParam("after") String after) {
        String search = q == null || q.isBlank() ? null : q.strip();
        if (search != null && search.length() > 100) {
            search = search.substring(0, 100);
        }
        AdminProductPage page;
        try {
            page = catalog.list(Optional.ofNullable(after).filter(a -> !a.isBlank()), PAGE_SIZE, Optional.ofNullable(search));
        } catch (ProblemException badCursor) {
            return Pages.redirect("/admin/products" + (search == null ? "" : "?q=" + Pages.encode(search)));
        }
        var rows = page.items().stream().map(ProductPages::row).toList();
        String next = page.next() == null ? ""
                : "/admin/products?after=" + Pages.encode(page.next()) + (search == null ? "" : "&q=" + Pages.encode(search));
        return pages.html(200, Templates.products(pages.page("Products", "products"), search == null ? "" : search, rows, next));
    }

    @GET
    @Path("/new")
    public Response newProduct() {
        return pages.html(200, Templates.product(pages.page("New product", "products"), editing.blank()));
    }

    @POST
    @Path("/new")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@BeanParam ProductFields fields) {
        Form form = new Form();
        if ("add-variant".equals(fields.action)) {
            return pages.html(200, Templates.product(pages.page("New product", "products"),
                    editing.posted(fields, null, form, true)));
        }
        AdminProduct created = null;
        try {
            created = editing.create(fields, form);
        } catch (ProblemException refused) {
            if (!form.hasErrors()) {
                form.reject(refused, java.util.function.UnaryOperator.identity());
            }
        }
        if (created == null) {
            return pages.html(400, Templates.product(pages.page("New product", "products"),
                    editing.posted(fields, null, form, false)));
        }
        return Pages.redirect("/admin/products/" + created.id() + "?saved=created");
    }

    @GET
    @Path("/{id}")
    public Response edit(@PathParam("id") String id, @QueryParam("saved") String saved) {
        AdminProduct product = find(id).orElse(null);
        if (product == null) {
            return notFound();
        }
        Page page = pages.page(product.title(), "products");
        if ("created".equals(saved)) {
            page = page.withNotice("Product created.");
        } else if ("updated".equals(saved)) {
            page = page.withNotice("Changes saved.");
        }
        return pages.html(200, Templates.product(page, editing.of(product)));
    }

    @POST
    @Path("/{id}")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response save(@PathParam("id") String id, @BeanParam ProductFields fields) {
        Optional<UUID> productId = Pages.uuid(id);
        if (productId.isEmpty()) {
            return notFound();
        }
        Form form = new Form();
        if ("add-variant".equals(fields.action)) {
            return pages.html(200, Templates.product(pages.page("Edit product", "products"),
                    editing.posted(fields, id, form, true)));
        }
        AdminProduct saved = null;
        try {
            saved = editing.save(productId.get(), fields, form);
            if (saved == null && !form.hasErrors()) {
                return notFound();
            }
        } catch (ProblemException refused) {
            if (!form.hasErrors()) {
                form.reject(refused, java.util.function.UnaryOperator.identity());
            }
        }
        if (saved == null) {
            return pages.html(400, Templates.product(pages.page("Edit product", "products"),
                    editing.posted(fields, id, form, false)));
        }
        return Pages.redirect("/admin/products/" + id + "?saved=updated");
    }

    @GET
    @Path("/{id}/delete")
    public Response confirmDelete(@PathParam("id") String id) {
        AdminProduct product = find(id).orElse(null);
        if (product == null) {
            return notFound();
        }
        return pages.html(200, Templates.productDelete(pages.page("Delete " + product.title(), "products"), id, product.title()));
    }

    @POST
    @Path("/{id}/delete")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response delete(@PathParam("id") String id) {
        Optional<UUID> productId = Pages.uuid(id);
        if (productId.isEmpty() || !catalog.delete(productId.get())) {
            return notFound();
        }
        return Pages.redirect("/admin/products");
    }

    @ServerExceptionMapper
    Response refused(ProblemException e) {
        return pages.refused(e);
    }

    @ServerExceptionMapper
    Response failed(RuntimeException e) {
        return pages.failed(e);
    }

    private Optional<AdminProduct> find(String id) {
        return Pages.uuid(id).flatMap(catalog::get);
    }

    private Response notFound() {
        return pages.error(404, "Product not found", "This shop has no such product. It may have been deleted.");
    }

    private static ProductRow row(AdminProduct p) {
        int stock = p.variants().stream().mapToInt(AdminVariant::available).sum();
        String price = "";
        if (!p.variants().isEmpty()) {
            String currency = p.variants().get(0).currency();
            LongSummaryStatistics prices = p.variants().stream().filter(v -> v.currency().equals(currency))
                    .mapToLong(AdminVariant::priceMinor).summaryStatistics();
            price = prices.getMin() == prices.getMax() ? Money.format(prices.getMin(), currency)
                    : Money.amount(prices.getMin(), currency) + " – " + Money.format(prices.getMax(), currency);
        }
        return new ProductRow(p.id().toString(), p.title(), p.handle(), p.status(), p.variants().size(), stock, price);
    }
}
