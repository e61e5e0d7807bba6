// pgjdbc DatabaseMetaData against Ferry's catalog emulation (pg_catalog and
// information_schema of the connection's catalog). Each call's rows are checked
// against what tpch_std.tiny holds. Calls whose queries need SQL Ferry does not
// have yet must fail cleanly with 0A000/42P01/42883 and leave the session working; if
// they succeed, their rows are checked too. Given a PostgreSQL 15's port (args[1]):
// every call (getCatalogs, getSchemas, getTableTypes, getTables, getColumns,
// getPrimaryKeys, getImportedKeys, getExportedKeys, getIndexInfo, getTypeInfo,
// getProcedures, getFunctions, getTablePrivileges) gives results with the same column
// labels and JDBC types as PostgreSQL's; on tables with keys in that PostgreSQL, read
// through Ferry's postgresql catalog, getTables (each table type), getColumns,
// getImportedKeys and getExportedKeys give the rows PostgreSQL itself gives, and so do
// getPrimaryKeys and getIndexInfo unless the build says they are not supported (then
// "skipped: not supported by this build"); every type getTypeInfo reports is one
// PostgreSQL reports with the same DATA_TYPE (and row). Exit 1 on any wrong answer.
import java.sql.*;
import java.util.*;

public class JdbcMetadataTest {
    static int failures = 0;

    static void check(boolean ok, String what) {
        System.out.println((ok ? "ok   " : "FAIL ") + what);
        if (!ok) failures++;
    }

    interface Call { ResultSet run() throws SQLException; }

    static List<String> column(Call c, String col) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.run()) {
            while (rs.next()) out.add(rs.getString(col));
        }
        return out;
    }

    static final List<String> TINY = Arrays.asList("customer", "lineitem", "nation", "orders",
                                                    "part", "partsupp", "region", "supplier");

    /* A call that may be unsupported: a clean error, or rows that pass the check. */
    static void optional(Connection c, String what, Call call, java.util.function.Predicate<List<List<String>>> ok)
            throws SQLException {
        try (ResultSet rs = call.run()) {
            List<List<String>> rows = new ArrayList<>();
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> r = new ArrayList<>();
                for (int i = 1; i <= n; i++) r.add(rs.getString(i));
                rows.add(r);
            }
            check(ok.test(rows), what + " rows " + rows);
        } catch (SQLException e) {
            String st = e.getSQLState();
            check("0A000".equals(st) || "42P01".equals(st) || "42883".equals(st),
                  what + " not supported yet: " + st + " " + e.getMessage().split("\n")[0]);
        }
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
            check(rs.next() && rs.getInt(1) == 1, "session works after " + what);
        }
    }

    /* Column labels and java.sql.Types of a result: what a tool reading it by name or type sees. */
    static List<String> shape(Call c) throws SQLException {
        List<String> out = new ArrayList<>();
        try (ResultSet rs = c.run()) {
            ResultSetMetaData md = rs.getMetaData();
            for (int i = 1; i <= md.getColumnCount(); i++)
                out.add(md.getColumnLabel(i).toLowerCase() + ":" + md.getColumnType(i));
        }
        return out;
    }

    /* The same DatabaseMetaData calls on Ferry and on a PostgreSQL 15 must give results of
     * the same shape (args: the PostgreSQL port; skipped without it). */
    static void compareShapes(DatabaseMetaData f, String pgPort) throws SQLException {
        String url = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres?user=postgres";
        try (Connection pc = DriverManager.getConnection(url)) {
            DatabaseMetaData p = pc.getMetaData();
            Map<String, Call[]> calls = new LinkedHashMap<>();
            calls.put("getCatalogs", new Call[] {f::getCatalogs, p::getCatalogs});
            calls.put("getSchemas", new Call[] {f::getSchemas, p::getSchemas});
            calls.put("getTableTypes", new Call[] {f::getTableTypes, p::getTableTypes});
            calls.put("getTables", new Call[] {() -> f.getTables(null, "tiny", "%", null),
                                               () -> p.getTables(null, "public", "%", null)});
            calls.put("getColumns", new Call[] {() -> f.getColumns(null, "tiny", "nation", "%"),
                                                () -> p.getColumns(null, "pg_catalog", "pg_class", "%")});
            calls.put("getTablePrivileges", new Call[] {() -> f.getTablePrivileges(null, "tiny", "nation"),
                                                        () -> p.getTablePrivileges(null, "pg_catalog", "pg_class")});
            calls.put("getProcedures", new Call[] {() -> f.getProcedures(null, null, "%"),
                                                   () -> p.getProcedures(null, null, "%")});
            calls.put("getFunctions", new Call[] {() -> f.getFunctions(null, "pg_catalog", "version"),
                                                  () -> p.getFunctions(null, "pg_catalog", "version")});
            calls.put("getImportedKeys", new Call[] {() -> f.getImportedKeys(null, "tiny", "nation"),
                                                     () -> p.getImportedKeys(null, "pg_catalog", "pg_class")});
            calls.put("getExportedKeys", new Call[] {() -> f.getExportedKeys(null, "tiny", "nation"),
                                                     () -> p.getExportedKeys(null, "pg_catalog", "pg_class")});
            for (Map.Entry<String, Call[]> e : calls.entrySet()) {
                List<String> fs = shape(e.getValue()[0]), ps = shape(e.getValue()[1]);
                check(fs.equals(ps), e.getKey() + " shape as PostgreSQL 15's" + (fs.equals(ps) ? "" : ": " + fs + " vs " + ps));
            }
            compareTypeInfo(f, p);
            compareCatalogRows(f.getConnection(), pc, "pg_type",
                               "oid, typname, typlen, typbyval, typtype, typcategory, typispreferred, "
                                   + "typisdefined, typdelim, typrelid, typsubscript, typelem, typarray, typinput, "
                                   + "typoutput, typreceive, typsend, typmodin, typmodout, typanalyze, typalign, "
                                   + "typstorage, typnotnull, typbasetype, typtypmod, typndims, typcollation",
                               "true", 50);
            /* the functions with PostgreSQL's OIDs (Ferry's own are hashed above 16383) */
            compareCatalogRows(f.getConnection(), pc, "pg_proc",
                               "oid, proname, pronamespace, proowner, prolang, procost, prorows, provariadic, "
                                   + "prosupport, prokind, prosecdef, proleakproof, proisstrict, proretset, "
                                   + "provolatile, proparallel, pronargs, pronargdefaults, prorettype, "
                                   + "array_to_string(proargtypes, ' ')",
                               "oid < 16384", 100);
            /* type I/O functions have PostgreSQL's OIDs, so SPECIFIC_NAME (proname_oid) agrees;
             * Ferry has no function comments (REMARKS, 4) and FUNCTION_CAT (1) is the database */
            Set<Integer> catAndRemarks = new HashSet<>(Arrays.asList(1, 4));
            for (String fn : new String[] {"array_in", "int4out", "numerictypmodin"}) {
                List<List<String>> fr = rowsWithout(() -> f.getFunctions(null, "pg_catalog", fn), catAndRemarks),
                                   pr = rowsWithout(() -> p.getFunctions(null, "pg_catalog", fn), catAndRemarks);
                check(fr.size() == 1 && fr.equals(pr), "getFunctions " + fn + " as PostgreSQL 15's: " + fr + (fr.equals(pr) ? "" : " vs " + pr));
            }
        }
    }

    static List<List<String>> rows(Call c) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        try (ResultSet rs = c.run()) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> r = new ArrayList<>();
                for (int i = 1; i <= n; i++) r.add(rs.getString(i));
                out.add(r);
            }
        }
        return out;
    }

    /* The rows of a call, each without the columns (1-based) in skip. */
    static List<List<String>> rowsWithout(Call c, Set<Integer> skip) throws SQLException {
        List<List<String>> out = new ArrayList<>();
        for (List<String> r : rows(c)) {
            List<String> k = new ArrayList<>();
            for (int i = 0; i < r.size(); i++)
                if (!skip.contains(i + 1)) k.add(r.get(i));
            out.add(k);
        }
        return out;
    }

    static int skipped = 0;

    /* Ferry's and PostgreSQL's rows of a call Ferry may not support yet: an SQLException
     * whose message says "not supported" skips the comparison (and the session must go
     * on); any other outcome is compared (without the columns in skipCols). */
    static void compareIfSupported(Connection fc, String what, Call f, Call p, Set<Integer> skipCols)
            throws SQLException {
        List<List<String>> fr;
        try {
            fr = rowsWithout(f, skipCols);
        } catch (SQLException e) {
            String msg = String.valueOf(e.getMessage()).split("\n")[0];
            if (!msg.contains("not supported")) {
                check(false, what + ": " + e.getSQLState() + " " + msg);
                return;
            }
            System.out.println("skip " + what + ": skipped: not supported by this build (" + msg + ")");
            skipped++;
            try (Statement s = fc.createStatement(); ResultSet rs = s.executeQuery("SELECT 1")) {
                check(rs.next() && rs.getInt(1) == 1, "session works after " + what);
            }
            return;
        }
        List<List<String>> pr = rowsWithout(p, skipCols);
        check(!fr.isEmpty() && fr.equals(pr), what + " as PostgreSQL 15's: " + fr + (fr.equals(pr) ? "" : " vs " + pr));
        List<String> fs = shape(f), ps = shape(p);
        check(fs.equals(ps), what + " shape as PostgreSQL 15's" + (fs.equals(ps) ? "" : ": " + fs + " vs " + ps));
    }

    /* getTypeInfo: PostgreSQL's shape, and every type Ferry reports is one PostgreSQL
     * reports, with the same row (java.sql.Types DATA_TYPE, PRECISION, LITERAL_PREFIX...). */
    static void compareTypeInfo(DatabaseMetaData f, DatabaseMetaData p) throws SQLException {
        List<String> fs = shape(f::getTypeInfo), ps = shape(p::getTypeInfo);
        check(fs.equals(ps), "getTypeInfo shape as PostgreSQL 15's" + (fs.equals(ps) ? "" : ": " + fs + " vs " + ps));
        Map<String, List<String>> pg = new HashMap<>();
        for (List<String> r : rows(p::getTypeInfo)) pg.put(r.get(0), r);
        List<List<String>> fr = rows(f::getTypeInfo);
        List<String> wrong = new ArrayList<>();
        for (List<String> r : fr)
            if (!r.equals(pg.get(r.get(0)))) wrong.add(r + " vs " + pg.get(r.get(0)));
        check(fr.size() > 30 && wrong.isEmpty(),
              "getTypeInfo: each of Ferry's " + fr.size() + " types PostgreSQL's, same DATA_TYPE and row" + (wrong.isEmpty() ? "" : ": " + wrong));
    }

    /* Rows of query on connection c, as text. */
    static List<List<String>> queryRows(Connection c, String query) throws SQLException {
        try (Statement s = c.createStatement()) {
            return rows(() -> s.executeQuery(query));
        }
    }

    /* Ferry's rows of cols of a pg_catalog table (where) are PostgreSQL's rows for the same
     * OIDs: what getTypeInfo and DBeaver's type cache read of pg_type (the type I/O functions
     * by name, alignment, storage, collation...), and pg_proc's type I/O functions. */
    static void compareCatalogRows(Connection fc, Connection pc, String table, String cols, String where, int min)
            throws SQLException {
        String q = "SELECT " + cols + " FROM pg_catalog." + table;
        List<List<String>> fr = queryRows(fc, q + " WHERE " + where + " ORDER BY oid");
        StringBuilder oids = new StringBuilder("0");
        for (List<String> r : fr) oids.append(',').append(r.get(0));
        List<List<String>> pr = queryRows(pc, q + " WHERE oid IN (" + oids + ") ORDER BY oid");
        List<String> diff = new ArrayList<>();
        for (int i = 0; i < Math.max(fr.size(), pr.size()); i++) {
            List<String> x = i < fr.size() ? fr.get(i) : null, y = i < pr.size() ? pr.get(i) : null;
            if (!Objects.equals(x, y)) diff.add(x + " vs " + y);
        }
        check(fr.size() >= min && diff.isEmpty(),
              table + ": Ferry's " + fr.size() + " rows as PostgreSQL 15's" + (diff.isEmpty() ? "" : ": " + diff));
    }

    /* Tables with keys in the harness's PostgreSQL, read through Ferry's postgresql catalog
     * and straight from PostgreSQL: getTables (no filter and each of PostgreSQL's table
     * types), getColumns, getImportedKeys/getExportedKeys (a two-column key in a different
     * column order, and its rules) give the same rows and shapes; getPrimaryKeys and
     * getIndexInfo too where this build supports them. */
    static void compareForeignKeys(String ferryPort, String pgPort) throws SQLException {
        String purl = "jdbc:postgresql://127.0.0.1:" + pgPort + "/postgres?user=postgres";
        String furl = "jdbc:postgresql://127.0.0.1:" + ferryPort + "/postgresql?user=admin";
        try (Connection pc = DriverManager.getConnection(purl); Statement ps = pc.createStatement()) {
            ps.execute("DROP SCHEMA IF EXISTS jdbc_fk CASCADE");
            ps.execute("CREATE SCHEMA jdbc_fk");
            ps.execute("CREATE TABLE jdbc_fk.parent (a int, b text, c int, PRIMARY KEY (a, b))");
            ps.execute("CREATE TABLE jdbc_fk.child (id int PRIMARY KEY, pb text, pa int, "
                       + "CONSTRAINT child_parent_fk FOREIGN KEY (pb, pa) REFERENCES jdbc_fk.parent (b, a) "
                       + "ON UPDATE CASCADE ON DELETE SET NULL)");
            ps.execute("COMMENT ON COLUMN jdbc_fk.parent.c IS 'the c'");
            /* relations of other kinds: getTables types VIEW, MATERIALIZED VIEW, PARTITIONED TABLE */
            ps.execute("CREATE VIEW jdbc_fk.parent_counts AS SELECT a, count(*) AS n FROM jdbc_fk.parent GROUP BY a");
            ps.execute("CREATE MATERIALIZED VIEW jdbc_fk.parent_keys AS SELECT a, b FROM jdbc_fk.parent");
            ps.execute("CREATE TABLE jdbc_fk.events (id int, at date) PARTITION BY RANGE (at)");
            try (Connection fc = DriverManager.getConnection(furl)) {
                DatabaseMetaData f = fc.getMetaData(), p = pc.getMetaData();
                Call[][] calls = {{() -> f.getImportedKeys(null, "jdbc_fk", "child"),
                                   () -> p.getImportedKeys(null, "jdbc_fk", "child")},
                                  {() -> f.getExportedKeys(null, "jdbc_fk", "parent"),
                                   () -> p.getExportedKeys(null, "jdbc_fk", "parent")}};
                String[] names = {"getImportedKeys", "getExportedKeys"};
                for (int i = 0; i < calls.length; i++) {
                    List<List<String>> fr = rows(calls[i][0]), pr = rows(calls[i][1]);
                    check(fr.size() == 2 && fr.equals(pr),
                          names[i] + " of a postgresql-catalog foreign key as PostgreSQL 15's: " + fr
                              + (fr.equals(pr) ? "" : " vs " + pr));
                    List<String> fs = shape(calls[i][0]), pgs = shape(calls[i][1]);
                    check(fs.equals(pgs), names[i] + " shape as PostgreSQL 15's" + (fs.equals(pgs) ? "" : ": " + fs + " vs " + pgs));
                }
                List<List<String>> ft = rows(() -> f.getTables(null, "jdbc_fk", "%", null)),
                                   pt = rows(() -> p.getTables(null, "jdbc_fk", "%", null));
                /* two tables and their primary keys' indexes, a view, a materialized view and a
                 * partitioned table */
                check(ft.size() == 7 && ft.equals(pt),
                      "getTables of a postgresql-catalog schema as PostgreSQL 15's: " + ft + (ft.equals(pt) ? "" : " vs " + pt));
                /* each table type PostgreSQL knows (Ferry's list is checked against it too) */
                List<String> types = column(p::getTableTypes, "TABLE_TYPE");
                check(column(f::getTableTypes, "TABLE_TYPE").equals(types), "getTableTypes as PostgreSQL 15's: " + types);
                List<String> bad = new ArrayList<>();
                for (String type : types) {
                    String[] one = {type};
                    List<List<String>> fr = rows(() -> f.getTables(null, "jdbc_fk", "%", one)),
                                       pr = rows(() -> p.getTables(null, "jdbc_fk", "%", one));
                    if (!fr.equals(pr)) bad.add(type + ": " + fr + " vs " + pr);
                }
                check(bad.isEmpty(), "getTables of a postgresql-catalog schema by each of " + types.size()
                                         + " table types as PostgreSQL 15's" + (bad.isEmpty() ? "" : ": " + bad));
                List<String> fv = column(() -> f.getTables(null, "jdbc_fk", "%", new String[] {"VIEW"}), "TABLE_NAME");
                check(fv.equals(Arrays.asList("parent_counts")), "getTables VIEW of a postgresql catalog: " + fv);
                /* the schemas (their catalog column is the database's name: "postgresql" here) */
                List<String> fsch = column(f::getSchemas, "TABLE_SCHEM"), psch = column(p::getSchemas, "TABLE_SCHEM");
                check(fsch.contains("jdbc_fk") && fsch.equals(psch),
                      "getSchemas of a postgresql catalog as PostgreSQL 15's: " + fsch + (fsch.equals(psch) ? "" : " vs " + psch));
                List<List<String>> fc2 = rows(() -> f.getColumns(null, "jdbc_fk", "%", "%")),
                                   pc2 = rows(() -> p.getColumns(null, "jdbc_fk", "%", "%"));
                check(fc2.size() == 12 && fc2.equals(pc2),
                      "getColumns of postgresql-catalog tables as PostgreSQL 15's: " + fc2 + (fc2.equals(pc2) ? "" : " vs " + pc2));
                /* CARDINALITY and PAGES (11, 12) are the server's statistics estimates */
                compareIfSupported(fc, "getPrimaryKeys of a postgresql-catalog table",
                                   () -> f.getPrimaryKeys(null, "jdbc_fk", "parent"),
                                   () -> p.getPrimaryKeys(null, "jdbc_fk", "parent"), Collections.emptySet());
                compareIfSupported(fc, "getIndexInfo of a postgresql-catalog table",
                                   () -> f.getIndexInfo(null, "jdbc_fk", "parent", false, true),
                                   () -> p.getIndexInfo(null, "jdbc_fk", "parent", false, true),
                                   new HashSet<>(Arrays.asList(11, 12)));
            } finally {
                ps.execute("DROP SCHEMA jdbc_fk CASCADE");
            }
        }
    }

    public static void main(String[] args) throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:" + args[0] + "/tpch_std?user=admin";
        try (Connection c = DriverManager.getConnection(url)) {
            DatabaseMetaData m = c.getMetaData();
            check(m.getDatabaseProductVersion().startsWith("15"), "product version " + m.getDatabaseProductVersion());
            check(column(m::getCatalogs, "TABLE_CAT").equals(Arrays.asList("tpch_std")), "getCatalogs");
            List<String> schemas = column(m::getSchemas, "TABLE_SCHEM");
            check(schemas.containsAll(Arrays.asList("information_schema", "pg_catalog", "sf1", "tiny")),
                  "getSchemas " + schemas);
            check(column(() -> m.getSchemas(null, "ti%"), "TABLE_SCHEM").equals(Arrays.asList("tiny")),
                  "getSchemas(ti%)");
            check(column(() -> m.getTables(null, "tiny", "%", new String[] {"TABLE"}), "TABLE_NAME").equals(TINY),
                  "getTables TABLE in tiny");
            check(column(() -> m.getTables(null, "tiny", "nat%", null), "TABLE_NAME").equals(Arrays.asList("nation")),
                  "getTables nat% any type");
            check(column(() -> m.getTables(null, null, "%", new String[] {"VIEW"}), "TABLE_NAME").isEmpty(),
                  "getTables VIEW: none");
            List<String> sys = column(() -> m.getTables(null, "pg_catalog", "pg_%", new String[] {"SYSTEM TABLE"}),
                                      "TABLE_NAME");
            check(sys.contains("pg_class") && sys.contains("pg_attribute") && sys.contains("pg_namespace"),
                  "getTables SYSTEM TABLE " + sys.size());
            List<String> sysv = column(() -> m.getTables(null, "information_schema", "%", new String[] {"SYSTEM VIEW"}),
                                       "TABLE_NAME");
            check(sysv.contains("columns") && sysv.contains("tables"), "getTables SYSTEM VIEW " + sysv);
            List<String> types = column(() -> m.getTables(null, "tiny", "%", null), "TABLE_TYPE");
            check(types.size() == 8 && new HashSet<>(types).equals(Collections.singleton("TABLE")),
                  "getTables tiny all types");
            check(column(() -> m.getProcedures(null, null, "%"), "PROCEDURE_NAME").isEmpty(), "getProcedures: none");
            List<String> fns = column(() -> m.getFunctions(null, "pg_catalog", "%"), "FUNCTION_NAME");
            check(fns.contains("version") && fns.contains("pg_get_userbyid"), "getFunctions " + fns.size());
            List<String> privs = column(() -> m.getTablePrivileges(null, "tiny", "nation"), "PRIVILEGE");
            check(privs.contains("SELECT"), "getTablePrivileges " + privs);
            optional(c, "getColumns", () -> m.getColumns(null, "tiny", "nation", "%"),
                     rows -> rows.size() == 4 && rows.get(0).get(3).equals("n_nationkey"));
            optional(c, "getPrimaryKeys", () -> m.getPrimaryKeys(null, "tiny", "nation"), List::isEmpty);
            optional(c, "getImportedKeys", () -> m.getImportedKeys(null, "tiny", "nation"), List::isEmpty);
            optional(c, "getExportedKeys", () -> m.getExportedKeys(null, "tiny", "nation"), List::isEmpty);
            optional(c, "getIndexInfo", () -> m.getIndexInfo(null, "tiny", "nation", false, true), List::isEmpty);
            optional(c, "getTypeInfo", m::getTypeInfo,
                     rows -> rows.stream().anyMatch(r -> r.get(0).equals("int4")));
            if (args.length > 1 && !args[1].isEmpty()) {
                compareShapes(m, args[1]);
                compareForeignKeys(args[0], args[1]);
            } else System.out.println("skip shape comparison: no PostgreSQL port given");
        }
        System.out.println((failures == 0 ? "all passed" : failures + " failed")
                           + (skipped == 0 ? "" : ", " + skipped + " skipped: not supported by this build"));
        System.exit(failures == 0 ? 0 : 1);
    }
}
