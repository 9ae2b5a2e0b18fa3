package org.optout.notifier.subscription;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/** Stores lead days as {@code 7,1}: at most five small numbers, always read together with their subscriber. */
@Converter
public class LeadDaysConverter implements AttributeConverter<List<Integer>, String> {

    @Override
    public String convertToDatabaseColumn(List<Integer> days) {
        return days.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    @Override
    public List<Integer> convertToEntityAttribute(String column) {
        return Arrays.stream(column.split(",")).map(Integer::valueOf).toList();
    }
}
