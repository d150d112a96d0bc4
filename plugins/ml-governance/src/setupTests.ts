import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// The CI machines are small and material-table renders slowly in jsdom; give async queries time.
configure({ asyncUtilTimeout: 8000 });

// material-table and MUI dialogs are slow to mount in jsdom on a shared 2-core machine.
jest.setTimeout(60_000);
