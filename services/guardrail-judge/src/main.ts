import { GuardrailServiceDefinition } from '@aigw/contracts';
import { exitOnStartupFailure, runGrpcServiceMain } from '@aigw/runtime';
import { GuardrailJudge } from './guardrail-judge';
import { guardrailGrpcImplementation } from './guardrail.grpc-service';
import { GuardrailJudgeModule } from './guardrail-judge.module';

runGrpcServiceMain({
  service: 'guardrail-judge',
  module: GuardrailJudgeModule.register(),
  address: (config) => config.raw.runtime.services.guardrail_judge,
  register: (app, host) => {
    host.add(
      GuardrailServiceDefinition,
      guardrailGrpcImplementation(app.get(GuardrailJudge)),
      GuardrailServiceDefinition.fullName,
    );
  },
}).catch(exitOnStartupFailure);
