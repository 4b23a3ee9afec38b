// MavenRef.java — reference oracle for the Maven differential test: Maven's
// own ComparableVersion and VersionRange (maven-artifact jar of Debian's
// maven package). Compiled by differential.py at test time.
// stdin lines: "C<TAB>a<TAB>b" → <, =, > ; "R<TAB>version<TAB>range" →
// true, false or error.
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import org.apache.maven.artifact.versioning.ComparableVersion;
import org.apache.maven.artifact.versioning.DefaultArtifactVersion;
import org.apache.maven.artifact.versioning.VersionRange;

public class MavenRef {
    public static void main(String[] args) throws Exception {
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, "UTF-8"));
        PrintStream out = new PrintStream(System.out, false, "UTF-8");
        String line;
        while ((line = in.readLine()) != null) {
            String[] f = line.split("\t", -1);
            if (f[0].equals("C")) {
                int c = new ComparableVersion(f[1]).compareTo(new ComparableVersion(f[2]));
                out.println(c < 0 ? "<" : c > 0 ? ">" : "=");
            } else {
                try {
                    VersionRange r = VersionRange.createFromVersionSpec(f[2]);
                    out.println(r.containsVersion(new DefaultArtifactVersion(f[1])) ? "true" : "false");
                } catch (Exception e) {
                    out.println("error");
                }
            }
        }
        out.flush();
    }
}
