package admin.internal.web;

import admin.internal.Money;
import admin.internal.web.Views.CollectionChoice;
import admin.internal.web.Views.ProductEditor;
import admin.internal.web.Views.VariantRow;
import catalog.AdminViews.AdminCollection;
import catalog.AdminViews.AdminProduct;
import catalog.AdminViews.AdminVariant;
import catalog.AdminViews.CollectionInput;
import catalog.AdminViews.InventoryAdjustment;
import catalog.AdminViews.ProductInput;
import catalog.AdminViews.ProductUpdate;
import catalog.AdminViews.VariantInput;
import catalog.AdminViews.VariantUpdate;
import catalog.MerchantCatalog;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.Validator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;
import platform.ProblemException;
import tenancy.TenantTransactional;

/**
 * The product editor's logic: reads the posted fields into catalogue inputs (with a message per
 * refused field), and saves a product with all its variant, stock and collection changes in one
 * transaction: all of them or none.
 */
@ApplicationScoped
class ProductEditing {

    static final String DEFAULT_CURRENCY = "EUR";

    @Inject MerchantCatalog catalog;
    @Inject Validator validator;

    /** The editor for a new product: one empty variant row. */
    ProductEditor blank() {
        Form form = new Form().set("status", "active");
        return new ProductEditor(form, null, List.of(emptyRow(0, DEFAULT_CURRENCY)), choices(Set.of()));
    }

    /** The editor showing a stored product. */
    ProductEditor of(AdminProduct product) {
        Form form = new Form().set("handle", product.handle()).set("title", product.title())
                .set("description", product.description()).set("status", product.status());
        List<VariantRow> rows = new ArrayList<>();
        for (AdminVariant v : product.variants()) {
            rows.add(new VariantRow(rows.size(), v.id().toString(), v.sku(), v.title(), Money.amount(v.priceMinor(), v.currency()),
                    v.currency(), Integer.toString(v.available()), Integer.toString(v.available()), false));
        }
        return new ProductEditor(form, product.id().toString(), rows, choices(new HashSet<>(product.collections())));
    }

    /** The editor showing what was posted (to show messages, or with one more empty row). */
    ProductEditor posted(ProductFields fields, String productId, Form form, boolean withEmptyRow) {
        form.set("handle", fields.handle).set("title", fields.title).set("description", fields.description)
                .set("status", fields.status).set("newCollection", fields.newCollection);
        List<VariantRow> rows = new ArrayList<>();
        String lastCurrency = DEFAULT_CURRENCY;
        for (int i = 0; i < fields.rows(); i++) {
            String currency = ProductFields.at(fields.currencies, i);
            rows.add(new VariantRow(i, ProductFields.at(fields.ids, i), ProductFields.at(fields.skus, i),
                    ProductFields.at(fields.titles, i), ProductFields.at(fields.prices, i), currency,
                    ProductFields.at(fields.stocks, i), ProductFields.at(fields.stocksWas, i),
                    fields.removed.contains(Integer.toString(i))));
            if (!currency.isEmpty()) {
                lastCurrency = currency;
            }
        }
        if (withEmptyRow && rows.size() < 100) {
            rows.add(emptyRow(rows.size(), lastCurrency));
        }
        Set<String> checked = new HashSet<>(fields.collections == null ? List.of() : fields.collections);
        return new ProductEditor(form, productId, rows, choices(checked));
    }

    /** Creates a product from the posted fields; on refusal the form holds the messages and nothing is stored. */
    @TenantTransactional
    AdminProduct create(ProductFields fields, Form form) {
        List<VariantInput> variants = new ArrayList<>();
        List<Integer> rowOfVariant = new ArrayList<>();
        for (int i = 0; i < fields.rows(); i++) {
            if (blankRow(fields, i)) {
                continue;
            }
            variants.add(variantInput(fields, i, form));
            rowOfVariant.add(i);
        }
        if (variants.isEmpty()) {
            form.reject("variants", "Add at least one variant with its SKU, name and price.");
        }
        List<String> collections = collections(fields, form);
        ProductInput input = new ProductInput(fields.handle == null ? null : fields.handle.strip(), fields.title,
                fields.description, fields.status, variants, collections);
        for (ConstraintViolation<ProductInput> violation : validator.validate(input)) {
            form.reject(renameVariantField(violation.getPropertyPath().toString(), rowOfVariant),
                    Form.sentence(violation.getMessage()));
        }
        if (form.hasErrors()) {
            return null;
        }
        String newCollection = newCollection(fields, form);
        if (form.hasErrors()) {
            return null;
        }
        try {
            if (newCollection != null) {
                createCollection(newCollection, fields.newCollection.strip(), input.collections());
            }
            return catalog.create(input);
        } catch (ProblemException refused) {
            form.reject(refused, field -> renameVariantField(field, rowOfVariant));
            throw refused; // rolls the transaction back
        }
    }

    /** Saves the posted fields over a product; empty if there is no such product in this shop. */
    @TenantTransactional
    AdminProduct save(UUID productId, ProductFields fields, Form form) {
        AdminProduct product = catalog.get(productId).orElse(null);
        if (product == null) {
            return null;
        }
        Map<UUID, AdminVariant> own = new java.util.HashMap<>();
        product.variants().forEach(v -> own.put(v.id(), v));
        List<String> collections = collections(fields, form);
        ProductUpdate update = new ProductUpdate(fields.handle == null ? "" : fields.handle.strip(),
                fields.title == null ? "" : fields.title, fields.description == null ? "" : fields.description,
                fields.status, collections);
        if (update.title().isBlank()) {
            form.reject("title", "Enter the product's name.");
        }
        for (ConstraintViolation<ProductUpdate> violation : validator.validate(update)) {
            form.reject(violation.getPropertyPath().toString(), Form.sentence(violation.getMessage()));
        }
        record Change(int row, UUID variantId, VariantUpdate update, int delta, VariantInput added, boolean remove) {}
        List<Change> changes = new ArrayList<>();
        int kept = 0;
        for (int i = 0; i < fields.rows(); i++) {
            String id = ProductFields.at(fields.ids, i);
            boolean remove = fields.removed.contains(Integer.toString(i));
            if (id.isEmpty()) {
                if (remove || blankRow(fields, i)) {
                    continue;
                }
                VariantInput added = variantInput(fields, i, form);
                validate(added, i, form);
                changes.add(new Change(i, null, null, 0, added, false));
                kept++;
                continue;
            }
            UUID variantId = Pages.uuid(id).orElse(null);
            AdminVariant current = variantId == null ? null : own.get(variantId);
            if (current == null) {
                form.fail("A variant of this form no longer belongs to this product; reload the page.");
                continue;
            }
            if (remove) {
                changes.add(new Change(i, variantId, null, 0, null, true));
                continue;
            }
            kept++;
            String currency = ProductFields.at(fields.currencies, i).toUpperCase(Locale.ROOT);
            Long price = price(fields, i, currency, form);
            Integer stock = integer(ProductFields.at(fields.stocks, i), "variants[" + i + "].stock", form);
            Integer stockWas = integer(ProductFields.at(fields.stocksWas, i), "variants[" + i + "].stock", form);
            VariantUpdate variantUpdate = new VariantUpdate(ProductFields.at(fields.titles, i), price == null ? 0L : price,
                    currency, null);
            for (ConstraintViolation<VariantUpdate> violation : validator.validate(variantUpdate)) {
                form.reject(renameRowField(i, violation.getPropertyPath().toString()), Form.sentence(violation.getMessage()));
            }
            int delta = stock == null || stockWas == null ? 0 : stock - stockWas;
            changes.add(new Change(i, variantId, variantUpdate, delta, null, false));
        }
        if (kept == 0) {
            form.reject("variants", "A product keeps at least one variant; delete the product instead.");
        }
        String newCollection = newCollection(fields, form);
        if (form.hasErrors()) {
            return null;
        }
        try {
            if (newCollection != null) {
                createCollection(newCollection, fields.newCollection.strip(), collections);
            }
            catalog.update(productId, update);
            for (Change change : changes) {
                if (change.added() != null) {
                    rowCall(change.row(), () -> catalog.addVariant(productId, change.added()));
                } else if (!change.remove()) {
                    rowCall(change.row(), () -> catalog.updateVariant(change.variantId(), change.update()));
                    if (change.delta() != 0) {
                        rowCall(change.row(), () -> catalog.adjustInventory(change.variantId(),
                                new InventoryAdjustment(change.delta(), "edited in the admin")));
                    }
                }
            }
            for (Change change : changes) {
                if (change.remove()) {
                    catalog.deleteVariant(change.variantId());
                }
            }
            return catalog.get(productId).orElseThrow();
        } catch (ProblemException refused) {
            form.reject(refused, UnaryOperator.identity());
            throw refused; // rolls the transaction back
        }
    }

    private void rowCall(int row, Supplier<?> call) {
        try {
            call.get();
        } catch (ProblemException refused) {
            if (refused.problem().errors() == null || refused.problem().errors().isEmpty()) {
                throw refused;
            }
            platform.Problem problem = refused.problem();
            var errors = problem.errors().stream()
                    .map(e -> new platform.Problem.FieldError(renameRowField(row, e.field()), e.message())).toList();
            throw new ProblemException(new platform.Problem(problem.type(), problem.title(), problem.status(),
                    problem.detail(), problem.instance(), errors));
        }
    }

    private VariantInput variantInput(ProductFields fields, int i, Form form) {
        String currency = ProductFields.at(fields.currencies, i).toUpperCase(Locale.ROOT);
        Long price = price(fields, i, currency, form);
        Integer stock = integer(ProductFields.at(fields.stocks, i), "variants[" + i + "].stock", form);
        return new VariantInput(ProductFields.at(fields.skus, i), ProductFields.at(fields.titles, i),
                price == null ? 0 : price, currency, null, stock == null ? 0 : stock);
    }

    private void validate(VariantInput input, int row, Form form) {
        for (ConstraintViolation<VariantInput> violation : validator.validate(input)) {
            form.reject(renameRowField(row, violation.getPropertyPath().toString()), Form.sentence(violation.getMessage()));
        }
    }

    private static Long price(ProductFields fields, int i, String currency, Form form) {
        String typed = ProductFields.at(fields.prices, i);
        String field = "variants[" + i + "].price";
        if (typed.isEmpty()) {
            form.reject(field, "Enter a price, such as 12.50.");
            return null;
        }
        return Money.parse(typed, currency).orElseGet(() -> {
            int digits = Money.digits(currency);
            form.reject(field, digits == 0 ? "Enter a whole amount without decimals, such as 1200."
                    : "Enter a price such as 12.50: digits, and at most " + digits + " decimals.");
            return null;
        });
    }

    private static Integer integer(String typed, String field, Form form) {
        if (typed.isEmpty()) {
            form.reject(field, "Enter a number of items in stock, such as 10.");
            return null;
        }
        if (!typed.matches("-?\\d{1,7}")) {
            form.reject(field, "Enter a whole number of items, such as 10.");
            return null;
        }
        int value = Integer.parseInt(typed);
        if (value < 0) {
            form.reject(field, "Stock cannot be negative.");
        }
        return value;
    }

    private static boolean blankRow(ProductFields fields, int i) {
        return ProductFields.at(fields.skus, i).isEmpty() && ProductFields.at(fields.titles, i).isEmpty()
                && ProductFields.at(fields.prices, i).isEmpty();
    }

    private List<String> collections(ProductFields fields, Form form) {
        Set<String> chosen = new LinkedHashSet<>();
        if (fields.collections != null) {
            for (String handle : fields.collections) {
                if (handle != null && !handle.isBlank()) {
                    chosen.add(handle.strip());
                }
            }
        }
        if (chosen.size() > 50) {
            form.reject("collections", "A product belongs to at most 50 collections.");
        }
        return new ArrayList<>(chosen);
    }

    /** The handle of the new collection typed into the editor, if any. */
    private static String newCollection(ProductFields fields, Form form) {
        String title = fields.newCollection == null ? "" : fields.newCollection.strip();
        if (title.isEmpty()) {
            return null;
        }
        if (title.length() > 255) {
            form.reject("newCollection", "A collection name has at most 255 characters.");
            return null;
        }
        String handle = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        if (handle.isEmpty()) {
            form.reject("newCollection", "Use some letters or digits in the collection's name.");
            return null;
        }
        return handle.length() > 100 ? handle.substring(0, 100).replaceAll("-+$", "") : handle;
    }

    private void createCollection(String handle, String title, List<String> collections) {
        boolean exists = catalog.collections().stream().anyMatch(c -> c.handle().equals(handle));
        if (!exists) {
            try {
                catalog.createCollection(new CollectionInput(handle, title));
            } catch (ProblemException refused) {
                throw new ProblemException(platform.Problem.invalid("The collection cannot be created.",
                        List.of(new platform.Problem.FieldError("newCollection", refused.problem().detail()))));
            }
        }
        if (!collections.contains(handle)) {
            collections.add(handle);
        }
    }

    private List<CollectionChoice> choices(Set<String> checked) {
        List<CollectionChoice> choices = new ArrayList<>();
        for (AdminCollection c : catalog.collections()) {
            choices.add(new CollectionChoice(c.handle(), c.title(), checked.contains(c.handle())));
        }
        return choices;
    }

    private static VariantRow emptyRow(int index, String currency) {
        return new VariantRow(index, "", "", "", "", currency, "0", "0", false);
    }

    /** {@code variants[2].priceMinor} (the n-th variant sent) as the editor's field of the row it came from. */
    static String renameVariantField(String path, List<Integer> rowOfVariant) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("variants\\[(\\d+)]\\.(\\w+).*").matcher(path);
        if (!m.matches()) {
            return path.startsWith("variants") ? "variants" : path;
        }
        int n = Integer.parseInt(m.group(1));
        int row = n < rowOfVariant.size() ? rowOfVariant.get(n) : n;
        return renameRowField(row, m.group(2));
    }

    static String renameRowField(int row, String field) {
        String name = switch (field) {
            case "priceMinor" -> "price";
            case "inventory", "delta" -> "stock";
            default -> field.replaceAll("[\\[.].*", "");
        };
        return "variants[" + row + "]." + name;
    }
}
