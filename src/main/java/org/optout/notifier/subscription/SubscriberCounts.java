package org.optout.notifier.subscription;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Active subscribers in total, by country and by platform: aggregates only, never who. */
public record SubscriberCounts(long active, Map<String, Long> byCountry, Map<String, Long> byPlatform) {

    public static SubscriberCounts now() {
        return new SubscriberCounts(Subscription.count("status", SubscriptionStatus.ACTIVE),
                grouped("select s.country, count(s) from Subscription s where s.status = ?1 group by s.country"),
                grouped("select p, count(s) from Subscription s join s.platforms p where s.status = ?1 group by p"));
    }

    private static Map<String, Long> grouped(String query) {
        List<Object[]> rows = Subscription.getEntityManager().createQuery(query, Object[].class)
                .setParameter(1, SubscriptionStatus.ACTIVE).getResultList();
        Map<String, Long> counts = new TreeMap<>();
        rows.forEach(row -> counts.put((String) row[0], (Long) row[1]));
        return counts;
    }
}
