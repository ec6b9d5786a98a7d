package admin.internal.web;

/**
 * What the admin layout shows around every page: the title, the active section, the shop, who is
 * signed in, the form token and a one-off notice.
 */
public record Page(String title, String section, String shop, String staffEmail, String staffRole, String csrf,
                   String notice) {

    public boolean signedIn() {
        return staffEmail != null;
    }

    public boolean owner() {
        return "owner".equals(staffRole);
    }

    public boolean in(String name) {
        return name.equals(section);
    }

    public Page withNotice(String text) {
        return new Page(title, section, shop, staffEmail, staffRole, csrf, text);
    }
}
