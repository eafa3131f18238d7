import { PolicyServiceDefinition } from '@aigw/contracts';
import { exitOnStartupFailure, runGrpcServiceMain } from '@aigw/runtime';
import { ApiKeyService } from './identity/api-key-service';
import { PolicyDecider } from './policy-decider';
import { policyGrpcImplementation } from './policy.grpc-service';
import { PolicyModule } from './policy.module';

runGrpcServiceMain({
  service: 'policy',
  // Cluster mode: limits live in Redis when runtime.redis is set, shared by every replica.
  module: PolicyModule.register({ limitStore: 'config' }),
  address: (config) => config.raw.runtime.services.policy,
  register: (app, host) => {
    host.add(
      PolicyServiceDefinition,
      policyGrpcImplementation(app.get(PolicyDecider), app.get(ApiKeyService)),
      PolicyServiceDefinition.fullName,
    );
  },
}).catch(exitOnStartupFailure);
