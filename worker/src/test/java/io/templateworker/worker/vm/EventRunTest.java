package io.templateworker.worker.vm;

import static org.assertj.core.api.Assertions.assertThat;

import io.templateworker.runtime.khronos.KhronosValue;
import org.junit.jupiter.api.Test;

class EventRunTest {

  @Test
  void each_handler_ends_once_with_a_value_or_an_error_and_holds_its_task_only_while_it_runs() {
    EventRun run = new EventRun(3);
    Object task = new Object();
    run.setTask(0, task);
    run.setTask(1, task);
    assertThat(run.pending()).isEqualTo(3);
    assertThat(run.isDone(0)).isFalse();
    assertThat(run.task(0)).isSameAs(task);

    run.succeeded(0, new KhronosValue.Text("ok"));
    run.failed(1, "boom", "at line 1", true);
    run.succeeded(2, null);
    assertThat(run.pending()).isZero();
    assertThat(run.value(0)).isEqualTo(new KhronosValue.Text("ok"));
    assertThat(run.error(0)).isNull();
    assertThat(run.task(0)).as("dropped when it ended").isNull();
    assertThat(run.value(1)).isNull();
    assertThat(run.error(1)).isEqualTo("boom");
    assertThat(run.traceback(1)).isEqualTo("at line 1");
    assertThat(run.fatal(1)).isTrue();
    assertThat(run.task(1)).isNull();
    assertThat(run.value(2)).isEqualTo(KhronosValue.Null.INSTANCE);
    assertThat(run.fatal(2)).isFalse();

    // An ended handler keeps its outcome: a late failure (e.g. stopped after it returned) or task is ignored.
    run.failed(0, "late", null, false);
    run.succeeded(1, new KhronosValue.Text("late"));
    run.setTask(2, task);
    assertThat(run.value(0)).isEqualTo(new KhronosValue.Text("ok"));
    assertThat(run.error(0)).isNull();
    assertThat(run.error(1)).isEqualTo("boom");
    assertThat(run.task(2)).isNull();
    assertThat(run.pending()).isZero();
  }
}
