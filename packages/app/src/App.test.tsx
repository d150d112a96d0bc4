import { render, screen } from '@testing-library/react';
import App from './App';

describe('App', () => {
  it('boots with every feature installed and asks the user to sign in', async () => {
    process.env = {
      NODE_ENV: 'test',
      APP_CONFIG: [
        {
          data: {
            app: { title: 'Test' },
            backend: { baseUrl: 'http://localhost:7007' },
          },
          context: 'test',
        },
      ] as any,
    };

    render(App.createRoot());

    // An invalid extension (or extension config) would render an app error page instead.
    expect(
      await screen.findByText(/Enter as a Guest User/, undefined, {
        timeout: 20_000,
      }),
    ).toBeInTheDocument();
  }, 60_000);
});
