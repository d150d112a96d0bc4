import { createApp } from '@backstage/frontend-defaults';
import catalogPlugin from '@backstage/plugin-catalog/alpha';
import mlGovernancePlugin from '@ml-governance/plugin-ml-governance/alpha';
import { navModule } from './modules/nav';
import { signInModule } from './modules/signIn';

// Every plugin in package.json is discovered (`app.packages: all`); the ones listed here are also
// installed when discovery does not run (tests).
export default createApp({
  features: [catalogPlugin, mlGovernancePlugin, navModule, signInModule],
});
