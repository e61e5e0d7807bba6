// Ferry arrays through the real pgjdbc driver: ResultSet.getArray() on int[], text[] and
// bigint[] results in text transfer (no server-side prepare) and in binary transfer
// (prepareThreshold=-1 forces named statements with binary results), and
// PreparedStatement.setArray(conn.createArrayOf(...)) with = ANY(?) in both modes.
// It must fail (exit 1) on any wrong result.
import java.sql.*;
import java.util.Arrays;

public class JdbcArrayTest {
    static int failures = 0;

    static void check(boolean ok, String what) {
        System.out.println((ok ? "ok   " : "FAIL ") + what);
        if (!ok) failures++;
    }

    static void run(String port, String mode, String opts) throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + port + "/tpch?user=admin&" + opts;
        try (Connection c = DriverManager.getConnection(url)) {
            for (int round = 0; round < 3; round++) {
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT ARRAY[1, 2, NULL]::int[] AS a, ARRAY['x', 'y z', NULL, '', 'NULL', 'q\"x']::text[] AS t,"
                        + " '{}'::int[] AS e, CAST(NULL AS int[]) AS n")) {
                    try (ResultSet rs = ps.executeQuery()) {
                        check(rs.next(), mode + " row");
                        Object a = rs.getArray(1).getArray();
                        check(a instanceof Integer[] && Arrays.equals((Integer[]) a, new Integer[] {1, 2, null}),
                              mode + " getArray int[] = " + Arrays.deepToString(new Object[] {a}));
                        Object t = rs.getArray(2).getArray();
                        check(t instanceof String[]
                                  && Arrays.equals((String[]) t, new String[] {"x", "y z", null, "", "NULL", "q\"x"}),
                              mode + " getArray text[] = " + Arrays.deepToString(new Object[] {t}));
                        Object e = rs.getArray(3).getArray();
                        check(e instanceof Integer[] && ((Integer[]) e).length == 0, mode + " getArray '{}'");
                        check(rs.getArray(4) == null, mode + " getArray NULL");
                        check(rs.getArray(1).getBaseType() == Types.INTEGER, mode + " base type int4");
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT array_agg(nationkey ORDER BY nationkey) FROM tpch.tiny.nation WHERE regionkey = ?")) {
                    ps.setLong(1, 1);
                    try (ResultSet rs = ps.executeQuery()) {
                        Object a = rs.next() ? rs.getArray(1).getArray() : null;
                        check(a instanceof Long[] && Arrays.equals((Long[]) a, new Long[] {1L, 2L, 3L, 17L, 24L}),
                              mode + " array_agg bigint[] = " + Arrays.deepToString(new Object[] {a}));
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT count(*) FROM tpch.tiny.nation WHERE nationkey = ANY(?)")) {
                    ps.setArray(1, c.createArrayOf("int4", new Integer[] {1, 2, 3, null, 99}));
                    try (ResultSet rs = ps.executeQuery()) {
                        check(rs.next() && rs.getLong(1) == 3, mode + " setArray int4 = ANY(?)");
                    }
                }
                try (PreparedStatement ps = c.prepareStatement(
                        "SELECT name FROM tpch.tiny.nation WHERE name = ANY(?) ORDER BY name")) {
                    ps.setArray(1, c.createArrayOf("text", new String[] {"PERU", "BRAZIL", "ATLANTIS"}));
                    try (ResultSet rs = ps.executeQuery()) {
                        check(rs.next() && rs.getString(1).trim().equals("BRAZIL") && rs.next()
                                  && rs.getString(1).trim().equals("PERU") && !rs.next(),
                              mode + " setArray text = ANY(?)");
                    }
                }
            }
        }
    }

    public static void main(String[] args) throws Exception {
        try {
            run(args[0], "text", "prepareThreshold=0");
            run(args[0], "binary", "prepareThreshold=-1&binaryTransferEnable=1007,1009,1016");
        } catch (SQLException e) {
            System.out.println("FAIL exception: " + e.getSQLState() + " " + e.getMessage());
            failures++;
        }
        System.exit(failures == 0 ? 0 : 1);
    }
}
