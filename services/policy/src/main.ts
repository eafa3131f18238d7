import { PolicyServiceDefinition } from '@aigw/contracts';
import { exitOnStartupFailure, runGrpcServiceMain } from '@aigw/runtime';
import { PolicyDecider } from './policy-decider';
import { policyGrpcImplementation } from './policy.grpc-service';
import { PolicyModule } from './policy.module';

runGrpcServiceMain({
  service: 'policy',
  module: PolicyModule.register(),
  address: (config) => config.raw.runtime.services.policy,
  register: (app, host) => {
    host.add(
      PolicyServiceDefinition,
      policyGrpcImplementation(app.get(PolicyDecider)),
      PolicyServiceDefinition.fullName,
    );
  },
}).catch(exitOnStartupFailure);
