package io.dftune.spec;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.BeanDescription;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.introspect.BeanPropertyDefinition;
import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Turns Jackson's parse errors into messages that name the source, line and field: for job files,
 * and for the other YAML files the tools read (bind those to classes with setters or public fields,
 * not records, or Jackson buffers the document and reports the line of its end).
 */
public final class ManifestErrors {
    private static final Pattern DUPLICATE = Pattern.compile("Duplicate field '(.*)'");
    private static final Pattern MALFORMED_NUMBER = Pattern.compile("Malformed numeric value '(.*)'");

    private ManifestErrors() {}

    public static ManifestException translate(String source, JsonProcessingException e) {
        for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException yaml) {
                return syntaxError(source, yaml, e);
            }
        }
        String where = source + line(e.getLocation()) + ": ";
        String field = e instanceof JsonMappingException m ? fieldPath(m) : "";
        String original = String.valueOf(e.getOriginalMessage());
        Matcher duplicate = DUPLICATE.matcher(original);
        if (e instanceof UnrecognizedPropertyException u) {
            return new ManifestException(where + "unknown field " + field + " (known: " + knownFields(u) + ")", e);
        }
        if (duplicate.matches()) {
            String name = (field.isEmpty() ? "" : field + ".") + duplicate.group(1);
            return new ManifestException(where + "duplicate field " + name, e);
        }
        if (original.startsWith("No content to map")) {
            return new ManifestException(source + ": empty manifest", e);
        }
        if (original.startsWith("Trailing token")) {
            return new ManifestException(where + "more than one document; a job file holds one FineTuneJob", e);
        }
        return new ManifestException(where + label(field) + ": " + describe(e, original), e);
    }

    /**
     * A binding error of a tree (no lines to tell) as a violation of the field it is about, named
     * below {@code root} (e.g. {@code spec.objective.type: unknown value "bogus"; allowed: ...}).
     */
    public static Violation violation(String root, JsonMappingException e) {
        String field = fieldPath(e);
        String name = field.isEmpty() ? root : root + "." + field;
        if (e instanceof UnrecognizedPropertyException u) {
            return new Violation(name, "unknown field (known: " + knownFields(u) + ")");
        }
        return new Violation(name, describe(e, String.valueOf(e.getOriginalMessage())));
    }

    private static ManifestException syntaxError(String source, MarkedYAMLException yaml, Exception e) {
        String line = yaml.getProblemMark() == null
                ? ""
                : " line " + (yaml.getProblemMark().getLine() + 1);
        return new ManifestException(source + line + ": invalid YAML: " + yaml.getProblem(), e);
    }

    private static String describe(JsonProcessingException e, String original) {
        if (e instanceof InvalidFormatException f
                && f.getTargetType() != null
                && f.getTargetType().isEnum()) {
            return "unknown value \"" + f.getValue() + "\"; allowed: " + allowedValues(f.getTargetType());
        }
        if (e instanceof MismatchedInputException m && m.getTargetType() != null) {
            String got = e instanceof InvalidFormatException f ? ", got \"" + f.getValue() + "\"" : "";
            return "expected " + expected(m.getTargetType()) + got;
        }
        // YAML's .nan and .inf land here: the number is rejected before any range check could run.
        Matcher malformed = MALFORMED_NUMBER.matcher(original);
        if (malformed.matches()) {
            return "expected a finite number, got \"" + malformed.group(1) + "\"";
        }
        return original;
    }

    private static String line(JsonLocation location) {
        return location == null || location.getLineNr() < 1 ? "" : " line " + location.getLineNr();
    }

    /** E.g. {@code spec.training.maxStep}, {@code metadata.labels.app}, {@code items[2]}. */
    private static String fieldPath(JsonMappingException e) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference ref : e.getPath()) {
            if (ref.getFieldName() != null) {
                path.append(path.length() == 0 ? "" : ".").append(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
            }
        }
        return path.toString();
    }

    private static String label(String field) {
        return field.isEmpty() ? "top level" : field;
    }

    /** In declaration order, which is the order the docs and {@code toYaml} use. */
    private static String knownFields(UnrecognizedPropertyException e) {
        Class<?> type = e.getReferringClass();
        if (type == null || type.getName().startsWith("java.")) {
            return e.getKnownPropertyIds().stream().map(String::valueOf).collect(Collectors.joining(", "));
        }
        BeanDescription bean = SpecMapper.YAML.getSerializationConfig().introspect(SpecMapper.YAML.constructType(type));
        return bean.findProperties().stream()
                .map(BeanPropertyDefinition::getName)
                .collect(Collectors.joining(", "));
    }

    /** The enum's JSON names, as the mapper writes them. */
    private static String allowedValues(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants())
                .map(constant -> SpecMapper.JSON.convertValue(constant, String.class))
                .collect(Collectors.joining(", "));
    }

    private static String expected(Class<?> type) {
        if (type == int.class || type == Integer.class || type == long.class || type == Long.class) {
            return "an integer";
        }
        if (type == double.class || type == Double.class || type == float.class || type == Float.class) {
            return "a number";
        }
        if (type == boolean.class || type == Boolean.class) {
            return "true or false";
        }
        if (type == String.class) {
            return "a string";
        }
        if (Collection.class.isAssignableFrom(type) || type.isArray()) {
            return "a list";
        }
        if (Map.class.isAssignableFrom(type) || !type.getName().startsWith("java.")) {
            return "a mapping";
        }
        return type.getSimpleName();
    }
}
