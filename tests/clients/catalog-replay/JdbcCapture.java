// Makes pgjdbc send the catalog queries of the DatabaseMetaData calls BI tools use
// (getTables with every type filter, getColumns, getPrimaryKeys, getImportedKeys,
// getExportedKeys, getIndexInfo, getTypeInfo) to the server at args[0] (a JDBC URL), for
// capture-jdbc.sh to read from that server's statement log. Prints nothing on success.
import java.sql.*;

public class JdbcCapture {
    static void drain(ResultSet rs) throws SQLException {
        try (ResultSet r = rs) {
            while (r.next()) { }
        }
    }

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0])) {
            DatabaseMetaData m = c.getMetaData();
            drain(m.getTables(null, "public", "%", null));
            try (ResultSet types = m.getTableTypes()) {
                while (types.next())
                    drain(m.getTables(null, "public", "%", new String[] {types.getString(1)}));
            }
            drain(m.getColumns(null, "public", "replay_t", "%"));
            drain(m.getPrimaryKeys(null, "public", "replay_t"));
            drain(m.getImportedKeys(null, "public", "replay_child"));
            drain(m.getExportedKeys(null, "public", "replay_t"));
            drain(m.getIndexInfo(null, "public", "replay_t", false, true));
            drain(m.getTypeInfo());
        }
    }
}
