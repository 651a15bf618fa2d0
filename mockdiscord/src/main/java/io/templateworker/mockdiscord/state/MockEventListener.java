package io.templateworker.mockdiscord.state;

/**
 * Hears what happens in the mock (a gateway subscribes here). Called under the state lock, in the order things
 * happened, on the thread that changed the state: queue the event and return; never block or call back into the
 * state. The payload is the listener's own copy.
 */
@FunctionalInterface
public interface MockEventListener {
    void onEvent(MockEvent event);
}
