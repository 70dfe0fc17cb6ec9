import { describe, expect, it } from 'vitest';
import { splitCaption } from '../../../stages/extract/split-caption.js';
import { stripGluedCaption } from '../../../stages/extract/strip-glued-caption.js';

describe('splitCaption', () => {
  it.each([
    ['Gaza City, October 4, 2023. (credit: MOHAMMED SALEM/REUTERS)', 'Gaza City, October 4, 2023.', 'MOHAMMED SALEM/REUTERS'],
    ['The ferry leaves the quay. Photo: Jane Doe/Reuters', 'The ferry leaves the quay.', 'Jane Doe/Reuters'],
    ['Flooded streets in Porto Alegre. Image: Ana Lima / Reuters', 'Flooded streets in Porto Alegre.', 'Ana Lima / Reuters'],
    ['Workers at the plant. Credit: City of Springfield', 'Workers at the plant.', 'City of Springfield'],
    ['The harbour at dawn. © Jane Doe', 'The harbour at dawn.', 'Jane Doe'],
    ['Firefighters on the ridge. Getty Images', 'Firefighters on the ridge.', 'Getty Images'],
    ['Firefighters on the ridge. John Smith/Getty Images', 'Firefighters on the ridge.', 'John Smith/Getty Images'],
    ['Voters queue in Ohio. (AP Photo/John Roe)', 'Voters queue in Ohio.', 'AP Photo/John Roe'],
    ['Voters queue in Ohio. AP Photo/John Roe', 'Voters queue in Ohio.', 'AP Photo/John Roe'],
    ['Voters queue in Ohio (John Roe/AP)', 'Voters queue in Ohio', 'John Roe/AP'],
    ['Protesters in Athens. Photograph: Louisa Gouliamaki/AFP via Getty Images', 'Protesters in Athens.', 'Louisa Gouliamaki/AFP via Getty Images'],
    ['The mayor speaks on Monday | Photo by Sam Lee', 'The mayor speaks on Monday', 'Sam Lee'],
    ['The family at home. Photo courtesy of the Smith family', 'The family at home.', 'Courtesy of the Smith family'],
    ['Rescuers at work. AFP via Getty Images', 'Rescuers at work.', 'AFP via Getty Images'],
  ])('splits %j into caption and credit', (raw, caption, credit) => {
    expect(splitCaption(raw)).toEqual({ caption, credit });
  });

  it('returns a credit alone, with no caption, when the text is only a credit', () => {
    expect(splitCaption('Photo: Jane Doe/Reuters')).toEqual({ caption: null, credit: 'Jane Doe/Reuters' });
    expect(splitCaption('Getty Images')).toEqual({ caption: null, credit: 'Getty Images' });
  });

  it('leaves a caption without a credit whole', () => {
    expect(splitCaption('  A quiet street in Lyon,\n at night ')).toEqual({ caption: 'A quiet street in Lyon, at night', credit: null });
  });

  it('gives nulls for empty text', () => {
    expect(splitCaption('   ')).toEqual({ caption: null, credit: null });
  });
});

describe('stripGluedCaption', () => {
  it('cuts a photo caption and its credit off the end of a body paragraph', () => {
    const paragraph =
      'Both delegations asked the authority to publish weekly flow figures before the next round. ' +
      'Farmers inspect a dried irrigation canal outside Tarnow Vale on August 12, 2024. (credit: LENA MARSH/REUTERS)';
    expect(stripGluedCaption(paragraph)).toEqual({
      text: 'Both delegations asked the authority to publish weekly flow figures before the next round.',
      caption: 'Farmers inspect a dried irrigation canal outside Tarnow Vale on August 12, 2024.',
      credit: 'LENA MARSH/REUTERS',
    });
  });

  it('does not end a sentence after an abbreviation like "U.S."', () => {
    expect(stripGluedCaption('The U.S. envoy said it was ready. A man walks past a mural in Kyiv. (Photo: Jane Roe/AFP)')).toEqual({
      text: 'The U.S. envoy said it was ready.',
      caption: 'A man walks past a mural in Kyiv.',
      credit: 'Jane Roe/AFP',
    });
  });

  it('treats a paragraph that is only a caption and credit as all caption', () => {
    expect(stripGluedCaption('Crowds on the seafront on Sunday. (credit: ANA LIMA/EPA)')).toEqual({
      text: '',
      caption: 'Crowds on the seafront on Sunday.',
      credit: 'ANA LIMA/EPA',
    });
  });

  it('leaves paragraphs that end in an ordinary parenthesis alone', () => {
    expect(stripGluedCaption('He said the ratio (debt/GDP) was high.')).toBeNull();
    expect(stripGluedCaption('Officials met on Tuesday (Reuters).')).toBeNull();
    expect(stripGluedCaption('The plan was approved (see the full list below)')).toBeNull();
  });
});
