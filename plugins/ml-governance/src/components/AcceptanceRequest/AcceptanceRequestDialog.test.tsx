import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { http, HttpResponse } from 'msw';
import { acceptance, finding, MODEL_REF } from '../../__testUtils__/fixtures';
import { API_BASE, renderWithApis } from '../../__testUtils__/renderWithApis';
import { setupMswServer } from '../../__testUtils__/server';
import { addDays, toDateInputValue } from '../common/format';
import { AcceptanceRequestDialog } from './AcceptanceRequestDialog';

const server = setupMswServer();

function answer(question: RegExp, value: 'Yes' | 'No') {
  const group = screen.getByRole('radiogroup', { name: question });
  fireEvent.click(within(group).getByLabelText(value));
}

async function renderDialog(onRequested = jest.fn()) {
  await renderWithApis(
    <AcceptanceRequestDialog
      entityRef={MODEL_REF}
      scope={{ kind: 'finding', finding: finding(1) }}
      onClose={jest.fn()}
      onRequested={onRequested}
    />,
  );
  return screen.getByRole('dialog', { name: 'Request risk acceptance' });
}

describe('AcceptanceRequestDialog', () => {
  it('shows what is missing and sends nothing until the form is complete', async () => {
    const posted = jest.fn();
    server.use(
      http.post(`${API_BASE}/acceptances`, () => {
        posted();
        return HttpResponse.json({});
      }),
    );
    const dialog = await renderDialog();

    expect(within(dialog).getByLabelText(/Justification/)).toHaveFocus();
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Submit request' }),
    );

    expect(
      within(dialog).getByText('Explain why this risk is acceptable for now.'),
    ).toBeInTheDocument();
    expect(within(dialog).getAllByText('Answer this question.')).toHaveLength(
      3,
    );

    fireEvent.change(within(dialog).getByLabelText(/Justification/), {
      target: { value: 'too short' },
    });
    answer(/safer alternative available/i, 'Yes');
    fireEvent.change(within(dialog).getByLabelText(/Expires on/), {
      target: { value: toDateInputValue(addDays(new Date(), 200)) },
    });
    expect(
      within(dialog).getByText('Write at least 30 characters (9 so far).'),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(/plan and date to move to it/),
    ).toBeInTheDocument();
    expect(
      within(dialog).getByText(/At most 180 days from today/),
    ).toBeInTheDocument();
    expect(posted).not.toHaveBeenCalled();
  });

  it('sends the request and then shows it pending review', async () => {
    let body: any;
    server.use(
      http.post(`${API_BASE}/acceptances`, async ({ request }) => {
        body = await request.json();
        return HttpResponse.json(
          acceptance({ status: 'requested', expiresAt: body.expiresAt }),
        );
      }),
    );
    const onRequested = jest.fn();
    const dialog = await renderDialog(onRequested);

    fireEvent.change(within(dialog).getByLabelText(/Justification/), {
      target: {
        value:
          'Legacy scorer still loads this pickle until the Q1 retrain lands.',
      },
    });
    answer(/in active use/i, 'Yes');
    answer(/safer alternative available/i, 'Yes');
    fireEvent.change(
      within(dialog).getByLabelText(/Plan for the safer alternative/),
      {
        target: { value: 'Move to safetensors with the Q1 retrain.' },
      },
    );
    answer(/source trusted/i, 'Yes');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Submit request' }),
    );

    expect(await within(dialog).findByText('Request sent')).toBeInTheDocument();
    expect(within(dialog).getByText('Pending review')).toBeInTheDocument();
    expect(body).toEqual({
      entityRef: MODEL_REF,
      fingerprint: 'fp-1',
      justification:
        'Legacy scorer still loads this pickle until the Q1 retrain lands.',
      checklist: {
        inActiveUse: true,
        saferAlternativeAvailable: true,
        saferAlternativePlan: 'Move to safetensors with the Q1 retrain.',
        sourceTrustedAndHashPinned: true,
      },
      expiresAt: `${toDateInputValue(addDays(new Date(), 90))}T00:00:00.000Z`,
    });
    expect(onRequested).toHaveBeenCalledWith(
      expect.objectContaining({ status: 'requested' }),
    );
  });

  it('keeps the form and shows the server refusal', async () => {
    server.use(
      http.post(`${API_BASE}/acceptances`, () =>
        HttpResponse.json(
          {
            error: {
              name: 'NotAllowedError',
              message: 'only owners may request',
            },
          },
          { status: 403 },
        ),
      ),
    );
    const dialog = await renderDialog();
    fireEvent.change(within(dialog).getByLabelText(/Justification/), {
      target: {
        value:
          'Legacy scorer still loads this pickle until the Q1 retrain lands.',
      },
    });
    answer(/in active use/i, 'No');
    answer(/safer alternative available/i, 'No');
    answer(/source trusted/i, 'Yes');
    await userEvent.click(
      within(dialog).getByRole('button', { name: 'Submit request' }),
    );

    await waitFor(() =>
      expect(
        within(dialog).getByText(/The request was not sent/),
      ).toBeInTheDocument(),
    );
    expect(
      within(dialog).getByRole('button', { name: 'Submit request' }),
    ).toBeEnabled();
  });
});
