package dev.mlops.packaging;

import dev.mlops.core.MlopsException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;

/**
 * Reads each package file named on the command line and prints one line per file: {@code
 * REFUSED}, the exception's class and message; {@code READ}; or {@code OUT OF MEMORY}. Then the
 * peak heap use in bytes. Run in a small heap by {@link HostilePackageHeapTest}.
 */
public final class HostileReads {
  private HostileReads() {}

  public static void main(String[] args) {
    for (String file : args) {
      try (ModelPackage p = ModelPackage.read(Path.of(file))) {
        System.out.println("READ\t" + file + "\t" + p);
      } catch (MlopsException e) {
        System.out.println("REFUSED\t" + e.getClass().getSimpleName() + "\t" + e.getMessage());
      } catch (OutOfMemoryError e) {
        System.out.println("OUT OF MEMORY\t" + file);
      }
    }
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.println("PEAK\t" + peak);
  }
}
