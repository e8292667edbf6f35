package dev.mlops.packaging;

import dev.mlops.core.InvalidInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/** What this module needs to know about Tribuo output types. */
final class TribuoOutputs {
  private TribuoOutputs() {}

  /**
   * The class of the model's outputs, read from its output domain: the most general output class
   * of a domain member, as a regressor's domain holds {@code Regressor.DimensionTuple}s.
   */
  static Class<?> outputClass(Model<?> model) {
    Set<? extends Output<?>> domain = model.getOutputIDInfo().getDomain();
    if (domain.isEmpty()) {
      throw new InvalidInputException(
          "model " + model.getName() + " has an empty output domain, so its output type is unknown; train it on labelled data");
    }
    Class<?> type = domain.iterator().next().getClass();
    while (type.getSuperclass() != null && Output.class.isAssignableFrom(type.getSuperclass())) {
      type = type.getSuperclass();
    }
    return type;
  }

  /** The names of the outputs the model knows: labels, or regression dimension names. */
  static List<String> domain(Model<?> model) {
    List<String> names = new ArrayList<>();
    for (Output<?> o : model.getOutputIDInfo().getDomain()) {
      if (o instanceof Label l) {
        names.add(l.getLabel());
      } else if (o instanceof Regressor r) {
        names.addAll(List.of(r.getNames()));
      } else {
        names.add(o.getSerializableForm(false));
      }
    }
    return names;
  }

  /**
   * The placeholder output an unlabelled example carries. Tribuo's factories name one for the
   * types this module knows; for others any member of the domain serves, as prediction ignores it.
   */
  @SuppressWarnings("unchecked")
  static <T extends Output<T>> T unknownOutput(Model<T> model) {
    Class<?> type = outputClass(model);
    if (type == Label.class) {
      return (T) LabelFactory.UNKNOWN_LABEL;
    }
    if (type == Regressor.class) {
      return (T) RegressionFactory.UNKNOWN_REGRESSOR;
    }
    return model.getOutputIDInfo().getDomain().iterator().next();
  }
}
