import { describe, expect, it } from 'vitest';
import { PROPERTY_IDS } from '../../properties/index.js';
import { PROPERTY_CHOICES } from '../../properties/property-ids.js';

describe('the --property choices', () => {
  it('are the ids of every property, in order', () => {
    expect([...PROPERTY_CHOICES]).toEqual(PROPERTY_IDS);
  });
});
