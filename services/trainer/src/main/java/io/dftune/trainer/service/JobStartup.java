package io.dftune.trainer.service;

import io.dftune.spec.FineTuneJobFiles;
import io.dftune.spec.SpecException;
import io.dftune.spec.run.ErrorText;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/** With a job file configured, the run starts with the process and needs no client. */
@ApplicationScoped
class JobStartup {

    void onStart(@Observes StartupEvent event, TrainerConfig config, TrainingSession session) {
        config.jobFile().ifPresent(file -> {
            try {
                session.start(FineTuneJobFiles.load(file));
            } catch (SpecException e) {
                session.failWithoutRun(ErrorText.oneLine(e));
            }
        });
    }
}
