package feastflow;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;

/**
 * The database side: schema, seed data and the few queries the API needs.
 *
 * <p>Every call opens a fresh connection and closes it. That costs a few milliseconds, and
 * in exchange there is no pool to go stale: when the database restarts (its pod deleted
 * and recreated), the next request simply connects to the new one.
 */
final class Db {
    private static final String SCHEMA = """
            CREATE TABLE IF NOT EXISTS menu_items (
                id    SERIAL PRIMARY KEY,
                name  TEXT NOT NULL,
                price NUMERIC(8, 2) NOT NULL
            );
            CREATE TABLE IF NOT EXISTS orders (
                id         SERIAL PRIMARY KEY,
                item_id    INTEGER NOT NULL REFERENCES menu_items (id),
                quantity   INTEGER NOT NULL CHECK (quantity > 0),
                created_at TIMESTAMPTZ NOT NULL DEFAULT now()
            );
            INSERT INTO menu_items (name, price)
            SELECT * FROM (VALUES
                ('Margherita pizza', 9.50),
                ('Mushroom risotto', 12.00),
                ('Caesar salad', 7.80),
                ('Tiramisu', 5.20)) AS seed (name, price)
            WHERE NOT EXISTS (SELECT 1 FROM menu_items);
            """;

    private final String url;
    private final String user;
    private final String password;

    Db(String host, int port, String name, String user, String password) {
        this.url = "jdbc:postgresql://" + host + ":" + port + "/" + name;
        this.user = user;
        this.password = password;
    }

    /** Where the database is, for the start-up log line (no password). */
    String target() {
        return user + "@" + url.substring("jdbc:postgresql://".length());
    }

    /**
     * A new connection. A database that does not take the TCP connection within
     * connectSeconds, or does not log us in or answer within readSeconds, is an SQLException.
     */
    private Connection connect(int connectSeconds, int readSeconds) throws SQLException {
        Properties props = new Properties();
        props.setProperty("user", user);
        props.setProperty("password", password);
        props.setProperty("connectTimeout", String.valueOf(connectSeconds));
        props.setProperty("loginTimeout", String.valueOf(readSeconds));
        props.setProperty("socketTimeout", String.valueOf(readSeconds));
        props.setProperty("ApplicationName", "feastflow-backend");
        return DriverManager.getConnection(url, props);
    }

    private Connection connect() throws SQLException {
        return connect(2, 10);
    }

    /**
     * True when the database answers {@code SELECT 1} promptly: normally within a few
     * milliseconds; the limits leave room for a busy machine.
     */
    boolean isUp() {
        try (Connection c = connect(1, 2); Statement st = c.createStatement()) {
            st.execute("SELECT 1");
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    /**
     * Creates the tables and the menu when missing. Several replicas may start at once:
     * a transaction-scoped advisory lock makes them take turns, so the menu is seeded once.
     */
    void ensureSchema() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement()) {
            c.setAutoCommit(false);
            st.execute("SELECT pg_advisory_xact_lock(20240501)");
            st.execute(SCHEMA);
            c.commit();
        }
    }

    List<Map<String, Object>> menu() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, name, price FROM menu_items ORDER BY id")) {
            List<Map<String, Object>> items = new ArrayList<>();
            while (rs.next()) {
                items.add(Json.obj("id", rs.getInt("id"), "name", rs.getString("name"),
                        "price", rs.getBigDecimal("price")));
            }
            return items;
        }
    }

    Map<String, Object> addOrder(int itemId, int quantity) throws SQLException {
        try (Connection c = connect(); PreparedStatement st = c.prepareStatement(
                "INSERT INTO orders (item_id, quantity) VALUES (?, ?)"
                        + " RETURNING id, item_id, quantity, created_at")) {
            st.setInt(1, itemId);
            st.setInt(2, quantity);
            try (ResultSet rs = st.executeQuery()) {
                rs.next();
                return order(rs);
            }
        }
    }

    /** The 50 newest orders, newest first. */
    List<Map<String, Object>> orders() throws SQLException {
        try (Connection c = connect(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("SELECT id, item_id, quantity, created_at FROM orders"
                     + " ORDER BY created_at DESC, id DESC LIMIT 50")) {
            List<Map<String, Object>> list = new ArrayList<>();
            while (rs.next()) {
                list.add(order(rs));
            }
            return list;
        }
    }

    private static Map<String, Object> order(ResultSet rs) throws SQLException {
        return Json.obj("id", rs.getInt("id"), "itemId", rs.getInt("item_id"),
                "quantity", rs.getInt("quantity"),
                "createdAt", rs.getObject("created_at", OffsetDateTime.class).toString());
    }
}
