package io.dftune.engine.data;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.math.BigInteger;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.schema.GroupType;
import org.apache.parquet.schema.LogicalTypeAnnotation;
import org.apache.parquet.schema.PrimitiveType;
import org.apache.parquet.schema.Type;

/**
 * A Parquet row as the JSON object a JSON Lines file would hold for it, as the Hugging Face {@code datasets}
 * library presents rows: structs become objects, lists (the standard three-level layout and the older two-level
 * ones that the Parquet format's compatibility rules describe) and unannotated repeated fields become arrays, maps
 * become objects, strings text, integers, floats, decimals and booleans JSON values, and nulls null. Struct fields
 * that are null stay as null members, as {@code datasets} gives them.
 */
final class ParquetJson {
    private static final JsonNodeFactory NODES = JsonNodeFactory.withExactBigDecimals(true);

    private ParquetJson() {}

    static ObjectNode record(Group row) {
        return struct(row, row.getType());
    }

    private static ObjectNode struct(Group group, GroupType type) {
        ObjectNode out = NODES.objectNode();
        for (int i = 0; i < type.getFieldCount(); i++) {
            Type field = type.getType(i);
            out.set(field.getName(), field(group, i, field));
        }
        return out;
    }

    private static JsonNode field(Group group, int index, Type field) {
        int count = group.getFieldRepetitionCount(index);
        if (field.isRepetition(Type.Repetition.REPEATED)) {
            ArrayNode values = NODES.arrayNode(count);
            for (int j = 0; j < count; j++) {
                values.add(value(group, index, j, field));
            }
            return values;
        }
        return count == 0 ? NODES.nullNode() : value(group, index, 0, field);
    }

    private static JsonNode value(Group group, int index, int j, Type field) {
        if (field.isPrimitive()) {
            return primitive(group, index, j, field.asPrimitiveType());
        }
        GroupType type = field.asGroupType();
        Group child = group.getGroup(index, j);
        LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
        if (annotation instanceof LogicalTypeAnnotation.ListLogicalTypeAnnotation) {
            return list(child, type);
        }
        if (annotation instanceof LogicalTypeAnnotation.MapLogicalTypeAnnotation
                || annotation instanceof LogicalTypeAnnotation.MapKeyValueTypeAnnotation) {
            return map(child, type);
        }
        return struct(child, type);
    }

    /** A LIST group: its one repeated field is the element, or wraps it (the format's backward-compatibility rules). */
    private static ArrayNode list(Group list, GroupType type) {
        Type repeated = type.getType(0);
        boolean repeatedIsElement = repeated.isPrimitive()
                || repeated.asGroupType().getFieldCount() > 1
                || repeated.getName().equals("array")
                || repeated.getName().equals(type.getName() + "_tuple");
        int count = list.getFieldRepetitionCount(0);
        ArrayNode out = NODES.arrayNode(count);
        for (int j = 0; j < count; j++) {
            if (repeatedIsElement) {
                out.add(value(list, 0, j, repeated));
            } else {
                Group wrapper = list.getGroup(0, j);
                Type element = repeated.asGroupType().getType(0);
                out.add(wrapper.getFieldRepetitionCount(0) == 0 ? NODES.nullNode() : value(wrapper, 0, 0, element));
            }
        }
        return out;
    }

    private static ObjectNode map(Group map, GroupType type) {
        GroupType entry = type.getType(0).asGroupType();
        ObjectNode out = NODES.objectNode();
        for (int j = 0; j < map.getFieldRepetitionCount(0); j++) {
            Group kv = map.getGroup(0, j);
            JsonNode key = value(kv, 0, 0, entry.getType(0));
            JsonNode val = entry.getFieldCount() < 2 ? NODES.nullNode() : field(kv, 1, entry.getType(1));
            out.set(key.asText(), val);
        }
        return out;
    }

    private static JsonNode primitive(Group group, int index, int j, PrimitiveType type) {
        LogicalTypeAnnotation annotation = type.getLogicalTypeAnnotation();
        int scale = annotation instanceof LogicalTypeAnnotation.DecimalLogicalTypeAnnotation d ? d.getScale() : -1;
        return switch (type.getPrimitiveTypeName()) {
            case BOOLEAN -> NODES.booleanNode(group.getBoolean(index, j));
            case INT32 ->
                scale >= 0
                        ? NODES.numberNode(BigDecimal.valueOf(group.getInteger(index, j), scale))
                        : NODES.numberNode(group.getInteger(index, j));
            case INT64 ->
                scale >= 0
                        ? NODES.numberNode(BigDecimal.valueOf(group.getLong(index, j), scale))
                        : NODES.numberNode(group.getLong(index, j));
            case FLOAT -> NODES.numberNode(group.getFloat(index, j));
            case DOUBLE -> NODES.numberNode(group.getDouble(index, j));
            case INT96 -> NODES.textNode(group.getInt96(index, j).toString());
            case BINARY, FIXED_LEN_BYTE_ARRAY ->
                scale >= 0
                        ? NODES.numberNode(new BigDecimal(
                                new BigInteger(group.getBinary(index, j).getBytes()), scale))
                        : NODES.textNode(group.getString(index, j));
        };
    }
}
