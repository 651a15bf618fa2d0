package io.templateworker.mockdiscord.state;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A channel permission overwrite.
 *
 * @param type 0 for a role, 1 for a member
 */
public record Overwrite(long id, int type, long allow, long deny) {

    public static final int ROLE = 0;
    public static final int MEMBER = 1;

    public ObjectNode toJson() {
        ObjectNode o = Json.obj();
        o.put("id", Json.id(id));
        o.put("type", type);
        o.put("allow", Long.toString(allow));
        o.put("deny", Long.toString(deny));
        return o;
    }
}
