package dev.mlops.packaging;

import java.nio.file.Files;
import java.nio.file.Path;
import org.tribuo.Model;
import org.tribuo.protos.core.ModelProto;

/**
 * Builds a package of the Tribuo model in the file named first and writes it to the path named
 * second, relative to the working folder, with nothing but the builder's defaults. Run in JVMs of
 * their own by {@link ReproducibleByDefaultTest}.
 */
public final class BuildPackage {
  private BuildPackage() {}

  public static void main(String[] args) throws Exception {
    Model<?> model = Model.deserialize(ModelProto.parseFrom(Files.readAllBytes(Path.of(args[0]))));
    ModelPackage.builder("repro").version("1").model(model).build().writeTo(Path.of(args[1]));
  }
}
