import { Content, Header, Page } from '@backstage/core-components';
import { ReactNode } from 'react';

/** Page chrome for the legacy frontend system (the new system's PageBlueprint draws its own). */
export function LegacyPage(props: {
  title: string;
  subtitle?: string;
  children: ReactNode;
}) {
  return (
    <Page themeId="tool">
      <Header title={props.title} subtitle={props.subtitle} />
      <Content>{props.children}</Content>
    </Page>
  );
}
