// Ferry client test with the real pgjdbc driver: server-side prepared statements with
// binary parameters/results, cursor-based streaming of 1.5M rows, metadata.
// It must fail (exit 1) on any wrong result; it never trusts a count it did not verify.
import java.sql.*;

public class JdbcTest {
    static int failures = 0;

    static void check(boolean ok, String what) {
        System.out.println((ok ? "ok   " : "FAIL ") + what);
        if (!ok) failures++;
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/tpch?user=admin&prepareThreshold=5";
        try (Connection c = DriverManager.getConnection(url)) {
            // 10 executions pass prepareThreshold=5: pgjdbc then switches to a named
            // statement with binary parameters and results.
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT nationkey, name, regionkey FROM tpch.tiny.nation WHERE nationkey = ?")) {
                String[] names = {"ALGERIA", "ARGENTINA", "BRAZIL", "CANADA", "EGYPT",
                                  "ETHIOPIA", "FRANCE", "GERMANY", "INDIA", "INDONESIA"};
                long[] regions = {0, 1, 1, 1, 4, 0, 3, 3, 2, 2};
                for (int i = 0; i < 10; i++) {
                    ps.setLong(1, i);
                    try (ResultSet rs = ps.executeQuery()) {
                        boolean row = rs.next();
                        check(row && rs.getLong(1) == i && names[i].equals(rs.getString(2).trim())
                                  && rs.getLong(3) == regions[i] && !rs.next(),
                              "prepared execution " + (i + 1) + " nationkey=" + i);
                    }
                }
            }
            try (PreparedStatement ps = c.prepareStatement(
                    "SELECT count(*) FROM tpch.tiny.orders WHERE orderdate >= ? AND orderstatus = ?")) {
                for (int i = 0; i < 7; i++) {
                    ps.setDate(1, Date.valueOf("1998-01-01"));
                    ps.setString(2, "O");
                    try (ResultSet rs = ps.executeQuery()) {
                        check(rs.next() && rs.getLong(1) > 0, "date+text parameters execution " + (i + 1));
                    }
                }
            }
            // Streaming: autocommit off + fetch size makes pgjdbc use a portal with a row
            // limit, so the driver holds at most 1000 rows at a time.
            c.setAutoCommit(false);
            long rows = 0;
            try (Statement st = c.createStatement()) {
                st.setFetchSize(1000);
                try (ResultSet rs = st.executeQuery("SELECT * FROM tpch.sf1.orders")) {
                    while (rs.next()) rows++;
                }
            }
            c.commit();
            check(rows == 1500000, "streamed tpch.sf1.orders rows = " + rows);
            c.setAutoCommit(true);
            String v = c.getMetaData().getDatabaseProductVersion();
            check(v != null && !v.isEmpty(), "getDatabaseProductVersion = " + v);
        } catch (SQLException e) {
            System.out.println("FAIL exception: " + e.getSQLState() + " " + e.getMessage());
            failures++;
        }
        System.exit(failures == 0 ? 0 : 1);
    }
}
