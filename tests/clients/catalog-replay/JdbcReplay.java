// Replays captured statements through pgjdbc (extended protocol, as pgjdbc sent them):
// args[0] a JDBC URL, args[1] a file of statements separated by lines "-- next" (other
// lines starting "-- " are comments), then name=value pairs that replace {{name}}. Prints
// "ERR n message" for each statement n (1-based) that fails; the session goes on.
import java.nio.file.*;
import java.sql.*;
import java.util.*;

public class JdbcReplay {
    public static void main(String[] args) throws Exception {
        List<String> stmts = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        for (String line : Files.readAllLines(Paths.get(args[1]))) {
            if (line.equals("-- next")) {
                stmts.add(cur.toString());
                cur.setLength(0);
            } else if (!line.startsWith("-- ")) {
                cur.append(line).append('\n');
            }
        }
        stmts.add(cur.toString());
        try (Connection c = DriverManager.getConnection(args[0])) {
            c.setAutoCommit(true);
            int n = 0;
            for (String s : stmts) {
                if (s.trim().isEmpty()) continue;
                n++;
                for (int i = 2; i < args.length; i++) {
                    String[] kv = args[i].split("=", 2);
                    s = s.replace("{{" + kv[0] + "}}", kv[1]);
                }
                try (Statement st = c.createStatement()) {
                    st.execute(s);
                } catch (SQLException e) {
                    System.out.println("ERR " + n + " " + e.getSQLState() + " " + e.getMessage().split("\n")[0]);
                }
            }
        }
    }
}
