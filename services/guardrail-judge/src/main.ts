import { GuardrailServiceDefinition, RouterServiceDefinition } from '@aigw/contracts';
import { type ConfigSource } from '@aigw/config';
import { CONFIG_SOURCE, exitOnStartupFailure, runGrpcServiceMain } from '@aigw/runtime';
import { createServiceChannel, createServiceClient } from '@aigw/transport';
import { GuardrailJudge } from './guardrail-judge';
import { guardrailGrpcImplementation } from './guardrail.grpc-service';
import { GuardrailJudgeModule } from './guardrail-judge.module';

runGrpcServiceMain({
  service: 'guardrail-judge',
  module: GuardrailJudgeModule.register({
    // LLM judges call their models through provider-router over gRPC.
    routerClient: {
      useFactory: (config: ConfigSource) =>
        createServiceClient(
          RouterServiceDefinition,
          createServiceChannel(config.current().raw.runtime.services.provider_router),
        ),
      inject: [CONFIG_SOURCE],
    },
  }),
  address: (config) => config.raw.runtime.services.guardrail_judge,
  register: (app, host) => {
    host.add(
      GuardrailServiceDefinition,
      guardrailGrpcImplementation(app.get(GuardrailJudge)),
      GuardrailServiceDefinition.fullName,
    );
  },
}).catch(exitOnStartupFailure);
