import { RouterServiceDefinition } from '@aigw/contracts';
import { exitOnStartupFailure, runGrpcServiceMain } from '@aigw/runtime';
import { ProviderRouter } from './provider-router';
import { ProviderRouterModule } from './provider-router.module';
import { routerGrpcImplementation } from './router.grpc-service';

runGrpcServiceMain({
  service: 'provider-router',
  module: ProviderRouterModule.register(),
  address: (config) => config.raw.runtime.services.provider_router,
  register: (app, host) => {
    host.add(
      RouterServiceDefinition,
      routerGrpcImplementation(app.get(ProviderRouter)),
      RouterServiceDefinition.fullName,
    );
  },
}).catch(exitOnStartupFailure);
