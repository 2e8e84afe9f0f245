package io.kb.contracts;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The principals that a document's {@code acl} lists and that a caller holds: {@code public},
 * {@code user:<id>} or {@code group:<name>}, where the id or name is 1 to 256 characters without
 * whitespace or control characters.
 *
 * <p>Access is granted when a document's ACL and the caller's principals (see
 * {@link #principalsOf(String, Collection)}) share at least one entry, within the caller's tenant.
 * Principals are plain strings on the wire and in the index, so the check is a set intersection that
 * every index can run inside its query.
 */
public final class Principal {

    /** The principal that every caller of the tenant holds. */
    public static final String PUBLIC = "public";

    /** The prefix of a user principal, followed by the user's id (the JWT {@code sub}). */
    public static final String USER_PREFIX = "user:";

    /** The prefix of a group principal, followed by the group's name (an entry of the JWT {@code groups}). */
    public static final String GROUP_PREFIX = "group:";

    /**
     * The characters allowed in an id or a name: everything but the ISO controls and the characters
     * that {@link Character#isWhitespace} or {@link Character#isSpaceChar} treat as space, written out
     * so that Java and ECMAScript regular expressions read the class alike.
     */
    private static final String NAME_CHAR =
            "[^\\u0000-\\u0020\\u007F-\\u00A0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000]";

    /** The same expression as {@code $defs/principal} in the JSON Schemas. */
    public static final String REGEX = "^(?:public|user:" + NAME_CHAR + "{1,256}|group:" + NAME_CHAR + "{1,256})$";

    private static final Pattern PATTERN = Pattern.compile(REGEX);
    private static final Pattern NAME = Pattern.compile("^" + NAME_CHAR + "{1,256}$");

    private Principal() {
    }

    /** Whether {@code principal} is a well-formed principal; {@code null} is not. */
    public static boolean isValid(String principal) {
        return principal != null && PATTERN.matcher(principal).matches();
    }

    /**
     * @param field the field to name in the violation, such as {@code acl[2]}
     * @param principal the candidate
     * @return {@code principal}, unchanged
     * @throws ContractViolationException when it is null or malformed
     */
    public static String requireValid(String field, String principal) {
        if (principal == null) {
            throw new ContractViolationException(field, "must not be null");
        }
        if (!PATTERN.matcher(principal).matches()) {
            throw new ContractViolationException(field, "must be 'public', 'user:<id>' or 'group:<name>' "
                    + "with an id or name of 1 to 256 characters without whitespace or control characters");
        }
        return principal;
    }

    /** The principal {@code user:<id>}; the violation names {@code userId}. */
    public static String user(String id) {
        return USER_PREFIX + requireName("userId", id);
    }

    /** The principal {@code group:<name>}; the violation names {@code group}. */
    public static String group(String name) {
        return GROUP_PREFIX + requireName("group", name);
    }

    /**
     * The principals a caller holds, in the order {@code user:<id>}, {@code group:<name>}... (without
     * duplicates), {@code public}. The retrieval access filter matches a chunk when its ACL contains
     * any of them.
     *
     * @param userId the caller's id (the JWT {@code sub})
     * @param groups the caller's groups (the JWT {@code groups}); {@code null} means none
     * @return an unmodifiable list
     * @throws ContractViolationException naming {@code userId} or {@code groups[i]} when one is malformed
     */
    public static List<String> principalsOf(String userId, Collection<String> groups) {
        Set<String> principals = new LinkedHashSet<>();
        principals.add(user(userId));
        if (groups != null) {
            int index = 0;
            for (String group : groups) {
                principals.add(GROUP_PREFIX + requireName("groups[" + index + "]", group));
                index++;
            }
        }
        principals.add(PUBLIC);
        return List.copyOf(principals);
    }

    private static String requireName(String field, String name) {
        if (name == null) {
            throw new ContractViolationException(field, "must not be null");
        }
        if (!NAME.matcher(name).matches()) {
            throw new ContractViolationException(field,
                    "must be 1 to 256 characters without whitespace or control characters");
        }
        return name;
    }
}
