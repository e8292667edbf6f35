package dev.mlops.examples;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.eclipse.aether.RepositorySystem;
import org.eclipse.aether.RepositorySystemSession;
import org.eclipse.aether.artifact.Artifact;
import org.eclipse.aether.artifact.ArtifactProperties;
import org.eclipse.aether.artifact.DefaultArtifact;
import org.eclipse.aether.graph.Dependency;
import org.eclipse.aether.graph.Exclusion;
import org.eclipse.aether.repository.RemoteRepository;
import org.eclipse.aether.repository.WorkspaceReader;
import org.eclipse.aether.repository.WorkspaceRepository;
import org.eclipse.aether.resolution.ArtifactDescriptorException;
import org.eclipse.aether.resolution.ArtifactDescriptorRequest;
import org.eclipse.aether.resolution.ArtifactDescriptorResult;
import org.eclipse.aether.resolution.ArtifactRequest;
import org.eclipse.aether.resolution.ArtifactResolutionException;
import org.eclipse.aether.supplier.RepositorySystemSupplier;
import org.eclipse.aether.supplier.SessionBuilderSupplier;
import org.eclipse.aether.util.version.GenericVersionScheme;
import org.eclipse.aether.version.InvalidVersionSpecificationException;
import org.eclipse.aether.version.Version;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * What IJava 1.3.0's {@code %maven group:artifact:version} puts on the class path. IJava resolves
 * with Apache Ivy 2.5.0-rc1 against Maven Central; this class reads the same POMs (each module's
 * effective model, parents and imported BOMs included, from Maven's own model builder) and
 * applies Ivy's rules on top:
 *
 * <ul>
 *   <li>the {@code default} configuration: compile and runtime dependencies, transitively;
 *       test, provided, system and optional ones are left out, exclusions are honoured;
 *   <li>the latest revision of a module wins (Ivy's default conflict manager);
 *   <li>a POM that declares the same module twice (as {@code olcut-config-json} 5.3.1 declares
 *       {@code olcut-core}: the jar, and a test-scoped {@code tests} jar) is merged into one
 *       dependency that asks for the {@code tests} jar too; where that jar is not published
 *       (olcut's is not, Tribuo's are) resolution fails with Ivy's
 *       {@code download failed: group#module;version!module.jar(test-jar)};
 *   <li>a module's artifact has the type of its POM's packaging, and IJava adds only artifacts of
 *       type {@code jar} to the class path: a {@code bundle} (Guava) is resolved and dropped.
 * </ul>
 *
 * <p>The project's own artifacts come from the build's output folders (the reactor), everything
 * else from the local Maven repository, or from Central when it is not there yet. Ivy behaviour
 * that depends on the state of its cache (an empty cache fails on a later line than a filled one)
 * is imitated as a filled cache: the first line whose graph holds a duplicate fails.
 */
final class IvyResolution implements AutoCloseable {
  private static final RemoteRepository CENTRAL =
      new RemoteRepository.Builder("central", "default", "https://repo.maven.apache.org/maven2/").build();
  private static final Set<String> RESOLVED_SCOPES = Set.of("", "compile", "runtime");
  private static final GenericVersionScheme VERSIONS = new GenericVersionScheme();

  /** Why a {@code %maven} line fails, in Ivy's words. */
  static final class Failure extends Exception {
    private static final long serialVersionUID = 1L;

    Failure(String message) {
      super(message);
    }
  }

  /**
   * What one {@code %maven} line resolved.
   *
   * @param coordinate the line's {@code group:artifact:version}
   * @param classPath the jars IJava adds to the class path, in resolution order
   * @param dropped the modules resolved but left off the class path, with their packaging
   */
  record Resolved(String coordinate, List<Path> classPath, List<String> dropped) {}

  private record Module(String groupId, String artifactId, String version, Set<String> exclusions) {
    String key() {
      return groupId + ":" + artifactId;
    }
  }

  private record Selected(Artifact artifact, String packaging) {}

  private final RepositorySystem system;
  private final RepositorySystemSession.CloseableSession session;

  /**
   * @param localRepository the local Maven repository
   * @param projectRoot the folder of the project's root POM
   * @param projectVersion the version of the project's modules, served from the build's output
   */
  IvyResolution(Path localRepository, Path projectRoot, String projectVersion) {
    this.system = new RepositorySystemSupplier().get();
    this.session = new SessionBuilderSupplier(system).get()
        .withLocalRepositoryBaseDirectories(localRepository)
        .setWorkspaceReader(new Reactor(projectRoot, projectVersion))
        .setSystemProperties(System.getProperties())
        .build();
  }

  /**
   * The resolution this build's tests use: the local repository Maven uses ({@code
   * maven.repo.local}, else {@code ~/.m2/repository}), the project one folder up from the working
   * directory, at the version in {@code mlops.version}.
   */
  static IvyResolution ofThisBuild() {
    String local = System.getProperty("maven.repo.local");
    Path repository = local == null || local.isBlank()
        ? Path.of(System.getProperty("user.home"), ".m2", "repository") : Path.of(local);
    String version = System.getProperty("mlops.version");
    if (version == null) {
      throw new IllegalStateException("the build passes mlops.version to the tests");
    }
    return new IvyResolution(repository, Path.of("..").toAbsolutePath().normalize(), version);
  }

  /** The class path of one {@code %maven} line. */
  Resolved resolve(String coordinate) throws Failure {
    String[] gav = coordinate.split(":");
    if (gav.length != 3) {
      throw new Failure("'" + coordinate + "' is not group:artifact:version");
    }
    Map<String, Selected> selected = new LinkedHashMap<>();
    Set<String> read = new HashSet<>();
    Deque<Module> queue = new ArrayDeque<>();
    queue.add(new Module(gav[0], gav[1], gav[2], Set.of()));
    while (!queue.isEmpty()) {
      Module m = queue.poll();
      Selected current = selected.get(m.key());
      if (current != null && version(current.artifact().getVersion()).compareTo(version(m.version())) >= 0) {
        continue;   // latest revision wins
      }
      if (!read.add(m.key() + ":" + m.version())) {
        continue;
      }
      Artifact artifact = new DefaultArtifact(m.groupId(), m.artifactId(), "jar", m.version());
      ArtifactDescriptorResult descriptor = descriptor(artifact);
      selected.put(m.key(), new Selected(artifact, packaging(artifact)));
      List<Dependency> dependencies = descriptor.getDependencies();
      checkDuplicates(m, dependencies);
      for (Dependency d : dependencies) {
        Artifact a = d.getArtifact();
        if (!RESOLVED_SCOPES.contains(d.getScope()) || d.isOptional() || excluded(m.exclusions(), a)) {
          continue;
        }
        Set<String> exclusions = new HashSet<>(m.exclusions());
        for (Exclusion e : d.getExclusions()) {
          exclusions.add(e.getGroupId() + ":" + e.getArtifactId());
        }
        if (!"jar".equals(a.getProperty(ArtifactProperties.TYPE, "jar"))) {
          continue;   // a typed dependency (test-jar, pom, …) never reaches IJava's class path
        }
        queue.add(new Module(a.getGroupId(), a.getArtifactId(), a.getVersion(), Set.copyOf(exclusions)));
      }
    }
    List<Path> classPath = new ArrayList<>();
    List<String> dropped = new ArrayList<>();
    for (Selected s : selected.values()) {
      if (s.packaging().equals("jar")) {
        classPath.add(file(s.artifact()));
      } else if (!s.packaging().equals("pom")) {
        dropped.add(s.artifact() + " (type " + s.packaging() + ")");
      }
    }
    return new Resolved(coordinate, List.copyOf(classPath), List.copyOf(dropped));
  }

  /**
   * Ivy 2.5.0-rc1 keys a POM's dependencies by module: a second declaration of the same module
   * is merged into the first, and the merged dependency asks for the artifact the other
   * declaration names (a {@code tests} jar) in the resolved configuration. When that artifact is
   * published it is fetched (and, not being a {@code jar}, left off the class path); when it is
   * not, resolution fails.
   */
  private void checkDuplicates(Module owner, List<Dependency> dependencies) throws Failure {
    Map<String, Dependency> first = new LinkedHashMap<>();
    for (Dependency d : dependencies) {
      Artifact a = d.getArtifact();
      Dependency earlier = first.putIfAbsent(a.getGroupId() + ":" + a.getArtifactId(), d);
      if (earlier == null || excluded(owner.exclusions(), a)) {
        continue;
      }
      boolean reached = (RESOLVED_SCOPES.contains(earlier.getScope()) && !earlier.isOptional())
          || (RESOLVED_SCOPES.contains(d.getScope()) && !d.isOptional());
      Artifact extra = a.getClassifier().isEmpty() ? earlier.getArtifact() : a;
      if (reached && !published(extra)) {
        throw new Failure("download failed: " + extra.getGroupId() + "#" + extra.getArtifactId() + ";" + extra.getVersion()
            + "!" + extra.getArtifactId() + "." + extra.getExtension() + "(" + extra.getProperty(ArtifactProperties.TYPE, "jar")
            + ") (" + owner.key() + ":" + owner.version() + " declares " + extra.getGroupId() + ":" + extra.getArtifactId()
            + " twice; Ivy merges the two and asks for the " + extra.getClassifier() + " jar, which is not published)");
      }
    }
  }

  private boolean published(Artifact artifact) {
    try {
      file(artifact);
      return true;
    } catch (Failure e) {
      return false;
    }
  }

  private static boolean excluded(Set<String> exclusions, Artifact a) {
    return exclusions.contains(a.getGroupId() + ":" + a.getArtifactId()) || exclusions.contains(a.getGroupId() + ":*")
        || exclusions.contains("*:*") || exclusions.contains("*:" + a.getArtifactId());
  }

  private ArtifactDescriptorResult descriptor(Artifact artifact) throws Failure {
    try {
      ArtifactDescriptorResult result =
          system.readArtifactDescriptor(session, new ArtifactDescriptorRequest(artifact, List.of(CENTRAL), null));
      if (!result.getExceptions().isEmpty()) {
        throw new Failure("unresolved dependency: " + ivyName(artifact) + ": " + result.getExceptions().get(0).getMessage());
      }
      return result;
    } catch (ArtifactDescriptorException e) {
      throw new Failure("unresolved dependency: " + ivyName(artifact) + ": not found (" + e.getMessage() + ")");
    }
  }

  /** The {@code <packaging>} of the module's own POM: Ivy's type of its main artifact. */
  private String packaging(Artifact artifact) throws Failure {
    Path pom;
    try {
      pom = file(new DefaultArtifact(artifact.getGroupId(), artifact.getArtifactId(), "pom", artifact.getVersion()));
    } catch (Failure e) {
      throw new Failure("unresolved dependency: " + ivyName(artifact) + ": not found");
    }
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      Element project = factory.newDocumentBuilder().parse(pom.toFile()).getDocumentElement();
      NodeList children = project.getChildNodes();
      for (int i = 0; i < children.getLength(); i++) {
        if (children.item(i) instanceof Element e && e.getTagName().equals("packaging")) {
          return e.getTextContent().strip();
        }
      }
      return "jar";
    } catch (Exception e) {
      throw new Failure("cannot read the POM of " + ivyName(artifact) + " at " + pom + ": " + e.getMessage());
    }
  }

  private Path file(Artifact artifact) throws Failure {
    try {
      return system.resolveArtifact(session, new ArtifactRequest(artifact, List.of(CENTRAL), null)).getArtifact().getPath();
    } catch (ArtifactResolutionException e) {
      throw new Failure("download failed: " + ivyName(artifact) + "!" + artifact.getArtifactId() + "." + artifact.getExtension()
          + " (" + e.getMessage() + ")");
    }
  }

  private static String ivyName(Artifact a) {
    return a.getGroupId() + "#" + a.getArtifactId() + ";" + a.getVersion();
  }

  private static Version version(String text) {
    try {
      return VERSIONS.parseVersion(text);
    } catch (InvalidVersionSpecificationException e) {
      throw new IllegalArgumentException("not a version: '" + text + "'", e);
    }
  }

  @Override
  public void close() {
    session.close();
    system.shutdown();
  }

  /**
   * The project's modules as the build left them: each module's POM and jar, and for
   * {@code mlops-all} the shaded jar with its dependency-reduced POM, which is what installing it
   * publishes.
   */
  private static final class Reactor implements WorkspaceReader {
    private final WorkspaceRepository repository = new WorkspaceRepository("reactor");
    private final Path root;
    private final String version;

    Reactor(Path root, String version) {
      this.root = root;
      this.version = version;
    }

    @Override
    public WorkspaceRepository getRepository() {
      return repository;
    }

    @Override
    public java.io.File findArtifact(Artifact artifact) {
      Path p = findArtifactPath(artifact);
      return p == null ? null : p.toFile();
    }

    @Override
    public Path findArtifactPath(Artifact artifact) {
      if (!artifact.getGroupId().equals("dev.mlops") || !artifact.getVersion().equals(version)
          || !artifact.getClassifier().isEmpty()) {
        return null;
      }
      String name = artifact.getArtifactId();
      boolean pom = artifact.getExtension().equals("pom");
      Path file;
      if (name.equals("mlops-parent")) {
        file = pom ? root.resolve("pom.xml") : null;
      } else if (name.equals("mlops-all")) {
        file = root.resolve("mlops-all/target").resolve(pom ? "dependency-reduced-pom.xml" : "mlops.jar");
      } else {
        file = pom ? root.resolve(name).resolve("pom.xml") : root.resolve(name).resolve("target").resolve(name + "-" + version + ".jar");
      }
      return file != null && Files.isRegularFile(file) ? file : null;
    }

    @Override
    public List<String> findVersions(Artifact artifact) {
      return findArtifactPath(artifact) == null ? List.of() : List.of(version);
    }
  }
}
